#include "parse/bibtex.hpp"

#include "parse/line_source.hpp"
#include "parse/seed_format_text.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace scholarsearch::parse {

namespace {

// ---------------------------------------------------------------------------------------------
// Bytes and lines

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_inline_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = lower(c);
    return out;
}

/// BibTeX's identifier characters (entry types, field names, @string names): printable ASCII
/// except "#%'(),={} and any non-ASCII byte.
bool is_name_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7F) return false;
    if (byte >= 0x80) return true;
    return std::strchr("\"#%'(),={}", c) == nullptr;
}

/// Characters of an entry key: anything up to white space, ',', a brace, a parenthesis or '='.
bool is_key_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7F) return false;
    if (byte >= 0x80) return true;
    return std::strchr("\",={}()", c) == nullptr;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

/// 1-based line of a byte offset. Lookups move mostly forward, so counting newlines from the
/// previous lookup keeps the whole parse linear.
class LineCounter {
public:
    explicit LineCounter(std::string_view text) : text_(text) {}
    int line_at(std::size_t pos) {
        pos = std::min(pos, text_.size());
        if (pos >= pos_) line_ += newlines(pos_, pos);
        else line_ -= newlines(pos, pos_);
        pos_ = pos;
        return line_;
    }

private:
    int newlines(std::size_t from, std::size_t to) const {
        return static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(from),
                                           text_.begin() + static_cast<std::ptrdiff_t>(to), '\n'));
    }
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

// ---------------------------------------------------------------------------------------------
// LaTeX to Unicode

struct Composition {
    char accent;         ///< the accent command: ' ` ^ " ~ = . u v H c k r d b
    char32_t base;
    char32_t composed;   ///< the precomposed (NFC) code point
};

// Every pair (accent, Latin letter) that NFC composes into one code point, sorted by
// (accent byte, base). Generated with Python's unicodedata (Unicode 14).
constexpr Composition compositions[] = {
    {'"', 0x0041, 0x00C4}, {'"', 0x0045, 0x00CB}, {'"', 0x0048, 0x1E26}, {'"', 0x0049, 0x00CF}, {'"', 0x004F, 0x00D6},
    {'"', 0x0055, 0x00DC}, {'"', 0x0057, 0x1E84}, {'"', 0x0058, 0x1E8C}, {'"', 0x0059, 0x0178}, {'"', 0x0061, 0x00E4},
    {'"', 0x0065, 0x00EB}, {'"', 0x0068, 0x1E27}, {'"', 0x0069, 0x00EF}, {'"', 0x006F, 0x00F6}, {'"', 0x0074, 0x1E97},
    {'"', 0x0075, 0x00FC}, {'"', 0x0077, 0x1E85}, {'"', 0x0078, 0x1E8D}, {'"', 0x0079, 0x00FF}, {'"', 0x00D5, 0x1E4E},
    {'"', 0x00F5, 0x1E4F}, {'"', 0x016A, 0x1E7A}, {'"', 0x016B, 0x1E7B}, {'\'', 0x0041, 0x00C1}, {'\'', 0x0043, 0x0106},
    {'\'', 0x0045, 0x00C9}, {'\'', 0x0047, 0x01F4}, {'\'', 0x0049, 0x00CD}, {'\'', 0x004B, 0x1E30}, {'\'', 0x004C, 0x0139},
    {'\'', 0x004D, 0x1E3E}, {'\'', 0x004E, 0x0143}, {'\'', 0x004F, 0x00D3}, {'\'', 0x0050, 0x1E54}, {'\'', 0x0052, 0x0154},
    {'\'', 0x0053, 0x015A}, {'\'', 0x0055, 0x00DA}, {'\'', 0x0057, 0x1E82}, {'\'', 0x0059, 0x00DD}, {'\'', 0x005A, 0x0179},
    {'\'', 0x0061, 0x00E1}, {'\'', 0x0063, 0x0107}, {'\'', 0x0065, 0x00E9}, {'\'', 0x0067, 0x01F5}, {'\'', 0x0069, 0x00ED},
    {'\'', 0x006B, 0x1E31}, {'\'', 0x006C, 0x013A}, {'\'', 0x006D, 0x1E3F}, {'\'', 0x006E, 0x0144}, {'\'', 0x006F, 0x00F3},
    {'\'', 0x0070, 0x1E55}, {'\'', 0x0072, 0x0155}, {'\'', 0x0073, 0x015B}, {'\'', 0x0075, 0x00FA}, {'\'', 0x0077, 0x1E83},
    {'\'', 0x0079, 0x00FD}, {'\'', 0x007A, 0x017A}, {'\'', 0x00C2, 0x1EA4}, {'\'', 0x00C5, 0x01FA}, {'\'', 0x00C6, 0x01FC},
    {'\'', 0x00C7, 0x1E08}, {'\'', 0x00CA, 0x1EBE}, {'\'', 0x00CF, 0x1E2E}, {'\'', 0x00D4, 0x1ED0}, {'\'', 0x00D5, 0x1E4C},
    {'\'', 0x00D8, 0x01FE}, {'\'', 0x00DC, 0x01D7}, {'\'', 0x00E2, 0x1EA5}, {'\'', 0x00E5, 0x01FB}, {'\'', 0x00E6, 0x01FD},
    {'\'', 0x00E7, 0x1E09}, {'\'', 0x00EA, 0x1EBF}, {'\'', 0x00EF, 0x1E2F}, {'\'', 0x00F4, 0x1ED1}, {'\'', 0x00F5, 0x1E4D},
    {'\'', 0x00F8, 0x01FF}, {'\'', 0x00FC, 0x01D8}, {'\'', 0x0102, 0x1EAE}, {'\'', 0x0103, 0x1EAF}, {'\'', 0x0112, 0x1E16},
    {'\'', 0x0113, 0x1E17}, {'\'', 0x014C, 0x1E52}, {'\'', 0x014D, 0x1E53}, {'\'', 0x0168, 0x1E78}, {'\'', 0x0169, 0x1E79},
    {'\'', 0x01A0, 0x1EDA}, {'\'', 0x01A1, 0x1EDB}, {'\'', 0x01AF, 0x1EE8}, {'\'', 0x01B0, 0x1EE9}, {'.', 0x0041, 0x0226},
    {'.', 0x0042, 0x1E02}, {'.', 0x0043, 0x010A}, {'.', 0x0044, 0x1E0A}, {'.', 0x0045, 0x0116}, {'.', 0x0046, 0x1E1E},
    {'.', 0x0047, 0x0120}, {'.', 0x0048, 0x1E22}, {'.', 0x0049, 0x0130}, {'.', 0x004D, 0x1E40}, {'.', 0x004E, 0x1E44},
    {'.', 0x004F, 0x022E}, {'.', 0x0050, 0x1E56}, {'.', 0x0052, 0x1E58}, {'.', 0x0053, 0x1E60}, {'.', 0x0054, 0x1E6A},
    {'.', 0x0057, 0x1E86}, {'.', 0x0058, 0x1E8A}, {'.', 0x0059, 0x1E8E}, {'.', 0x005A, 0x017B}, {'.', 0x0061, 0x0227},
    {'.', 0x0062, 0x1E03}, {'.', 0x0063, 0x010B}, {'.', 0x0064, 0x1E0B}, {'.', 0x0065, 0x0117}, {'.', 0x0066, 0x1E1F},
    {'.', 0x0067, 0x0121}, {'.', 0x0068, 0x1E23}, {'.', 0x006D, 0x1E41}, {'.', 0x006E, 0x1E45}, {'.', 0x006F, 0x022F},
    {'.', 0x0070, 0x1E57}, {'.', 0x0072, 0x1E59}, {'.', 0x0073, 0x1E61}, {'.', 0x0074, 0x1E6B}, {'.', 0x0077, 0x1E87},
    {'.', 0x0078, 0x1E8B}, {'.', 0x0079, 0x1E8F}, {'.', 0x007A, 0x017C}, {'.', 0x015A, 0x1E64}, {'.', 0x015B, 0x1E65},
    {'.', 0x0160, 0x1E66}, {'.', 0x0161, 0x1E67}, {'.', 0x017F, 0x1E9B}, {'=', 0x0041, 0x0100}, {'=', 0x0045, 0x0112},
    {'=', 0x0047, 0x1E20}, {'=', 0x0049, 0x012A}, {'=', 0x004F, 0x014C}, {'=', 0x0055, 0x016A}, {'=', 0x0059, 0x0232},
    {'=', 0x0061, 0x0101}, {'=', 0x0065, 0x0113}, {'=', 0x0067, 0x1E21}, {'=', 0x0069, 0x012B}, {'=', 0x006F, 0x014D},
    {'=', 0x0075, 0x016B}, {'=', 0x0079, 0x0233}, {'=', 0x00C4, 0x01DE}, {'=', 0x00C6, 0x01E2}, {'=', 0x00D5, 0x022C},
    {'=', 0x00D6, 0x022A}, {'=', 0x00DC, 0x01D5}, {'=', 0x00E4, 0x01DF}, {'=', 0x00E6, 0x01E3}, {'=', 0x00F5, 0x022D},
    {'=', 0x00F6, 0x022B}, {'=', 0x00FC, 0x01D6}, {'=', 0x01EA, 0x01EC}, {'=', 0x01EB, 0x01ED}, {'=', 0x0226, 0x01E0},
    {'=', 0x0227, 0x01E1}, {'=', 0x022E, 0x0230}, {'=', 0x022F, 0x0231}, {'H', 0x004F, 0x0150}, {'H', 0x0055, 0x0170},
    {'H', 0x006F, 0x0151}, {'H', 0x0075, 0x0171}, {'^', 0x0041, 0x00C2}, {'^', 0x0043, 0x0108}, {'^', 0x0045, 0x00CA},
    {'^', 0x0047, 0x011C}, {'^', 0x0048, 0x0124}, {'^', 0x0049, 0x00CE}, {'^', 0x004A, 0x0134}, {'^', 0x004F, 0x00D4},
    {'^', 0x0053, 0x015C}, {'^', 0x0055, 0x00DB}, {'^', 0x0057, 0x0174}, {'^', 0x0059, 0x0176}, {'^', 0x005A, 0x1E90},
    {'^', 0x0061, 0x00E2}, {'^', 0x0063, 0x0109}, {'^', 0x0065, 0x00EA}, {'^', 0x0067, 0x011D}, {'^', 0x0068, 0x0125},
    {'^', 0x0069, 0x00EE}, {'^', 0x006A, 0x0135}, {'^', 0x006F, 0x00F4}, {'^', 0x0073, 0x015D}, {'^', 0x0075, 0x00FB},
    {'^', 0x0077, 0x0175}, {'^', 0x0079, 0x0177}, {'^', 0x007A, 0x1E91}, {'`', 0x0041, 0x00C0}, {'`', 0x0045, 0x00C8},
    {'`', 0x0049, 0x00CC}, {'`', 0x004E, 0x01F8}, {'`', 0x004F, 0x00D2}, {'`', 0x0055, 0x00D9}, {'`', 0x0057, 0x1E80},
    {'`', 0x0059, 0x1EF2}, {'`', 0x0061, 0x00E0}, {'`', 0x0065, 0x00E8}, {'`', 0x0069, 0x00EC}, {'`', 0x006E, 0x01F9},
    {'`', 0x006F, 0x00F2}, {'`', 0x0075, 0x00F9}, {'`', 0x0077, 0x1E81}, {'`', 0x0079, 0x1EF3}, {'`', 0x00C2, 0x1EA6},
    {'`', 0x00CA, 0x1EC0}, {'`', 0x00D4, 0x1ED2}, {'`', 0x00DC, 0x01DB}, {'`', 0x00E2, 0x1EA7}, {'`', 0x00EA, 0x1EC1},
    {'`', 0x00F4, 0x1ED3}, {'`', 0x00FC, 0x01DC}, {'`', 0x0102, 0x1EB0}, {'`', 0x0103, 0x1EB1}, {'`', 0x0112, 0x1E14},
    {'`', 0x0113, 0x1E15}, {'`', 0x014C, 0x1E50}, {'`', 0x014D, 0x1E51}, {'`', 0x01A0, 0x1EDC}, {'`', 0x01A1, 0x1EDD},
    {'`', 0x01AF, 0x1EEA}, {'`', 0x01B0, 0x1EEB}, {'b', 0x0042, 0x1E06}, {'b', 0x0044, 0x1E0E}, {'b', 0x004B, 0x1E34},
    {'b', 0x004C, 0x1E3A}, {'b', 0x004E, 0x1E48}, {'b', 0x0052, 0x1E5E}, {'b', 0x0054, 0x1E6E}, {'b', 0x005A, 0x1E94},
    {'b', 0x0062, 0x1E07}, {'b', 0x0064, 0x1E0F}, {'b', 0x0068, 0x1E96}, {'b', 0x006B, 0x1E35}, {'b', 0x006C, 0x1E3B},
    {'b', 0x006E, 0x1E49}, {'b', 0x0072, 0x1E5F}, {'b', 0x0074, 0x1E6F}, {'b', 0x007A, 0x1E95}, {'c', 0x0043, 0x00C7},
    {'c', 0x0044, 0x1E10}, {'c', 0x0045, 0x0228}, {'c', 0x0047, 0x0122}, {'c', 0x0048, 0x1E28}, {'c', 0x004B, 0x0136},
    {'c', 0x004C, 0x013B}, {'c', 0x004E, 0x0145}, {'c', 0x0052, 0x0156}, {'c', 0x0053, 0x015E}, {'c', 0x0054, 0x0162},
    {'c', 0x0063, 0x00E7}, {'c', 0x0064, 0x1E11}, {'c', 0x0065, 0x0229}, {'c', 0x0067, 0x0123}, {'c', 0x0068, 0x1E29},
    {'c', 0x006B, 0x0137}, {'c', 0x006C, 0x013C}, {'c', 0x006E, 0x0146}, {'c', 0x0072, 0x0157}, {'c', 0x0073, 0x015F},
    {'c', 0x0074, 0x0163}, {'c', 0x0106, 0x1E08}, {'c', 0x0107, 0x1E09}, {'c', 0x0114, 0x1E1C}, {'c', 0x0115, 0x1E1D},
    {'d', 0x0041, 0x1EA0}, {'d', 0x0042, 0x1E04}, {'d', 0x0044, 0x1E0C}, {'d', 0x0045, 0x1EB8}, {'d', 0x0048, 0x1E24},
    {'d', 0x0049, 0x1ECA}, {'d', 0x004B, 0x1E32}, {'d', 0x004C, 0x1E36}, {'d', 0x004D, 0x1E42}, {'d', 0x004E, 0x1E46},
    {'d', 0x004F, 0x1ECC}, {'d', 0x0052, 0x1E5A}, {'d', 0x0053, 0x1E62}, {'d', 0x0054, 0x1E6C}, {'d', 0x0055, 0x1EE4},
    {'d', 0x0056, 0x1E7E}, {'d', 0x0057, 0x1E88}, {'d', 0x0059, 0x1EF4}, {'d', 0x005A, 0x1E92}, {'d', 0x0061, 0x1EA1},
    {'d', 0x0062, 0x1E05}, {'d', 0x0064, 0x1E0D}, {'d', 0x0065, 0x1EB9}, {'d', 0x0068, 0x1E25}, {'d', 0x0069, 0x1ECB},
    {'d', 0x006B, 0x1E33}, {'d', 0x006C, 0x1E37}, {'d', 0x006D, 0x1E43}, {'d', 0x006E, 0x1E47}, {'d', 0x006F, 0x1ECD},
    {'d', 0x0072, 0x1E5B}, {'d', 0x0073, 0x1E63}, {'d', 0x0074, 0x1E6D}, {'d', 0x0075, 0x1EE5}, {'d', 0x0076, 0x1E7F},
    {'d', 0x0077, 0x1E89}, {'d', 0x0079, 0x1EF5}, {'d', 0x007A, 0x1E93}, {'d', 0x00C2, 0x1EAC}, {'d', 0x00CA, 0x1EC6},
    {'d', 0x00D4, 0x1ED8}, {'d', 0x00E2, 0x1EAD}, {'d', 0x00EA, 0x1EC7}, {'d', 0x00F4, 0x1ED9}, {'d', 0x0102, 0x1EB6},
    {'d', 0x0103, 0x1EB7}, {'d', 0x01A0, 0x1EE2}, {'d', 0x01A1, 0x1EE3}, {'d', 0x01AF, 0x1EF0}, {'d', 0x01B0, 0x1EF1},
    {'k', 0x0041, 0x0104}, {'k', 0x0045, 0x0118}, {'k', 0x0049, 0x012E}, {'k', 0x004F, 0x01EA}, {'k', 0x0055, 0x0172},
    {'k', 0x0061, 0x0105}, {'k', 0x0065, 0x0119}, {'k', 0x0069, 0x012F}, {'k', 0x006F, 0x01EB}, {'k', 0x0075, 0x0173},
    {'k', 0x014C, 0x01EC}, {'k', 0x014D, 0x01ED}, {'r', 0x0041, 0x00C5}, {'r', 0x0055, 0x016E}, {'r', 0x0061, 0x00E5},
    {'r', 0x0075, 0x016F}, {'r', 0x0077, 0x1E98}, {'r', 0x0079, 0x1E99}, {'u', 0x0041, 0x0102}, {'u', 0x0045, 0x0114},
    {'u', 0x0047, 0x011E}, {'u', 0x0049, 0x012C}, {'u', 0x004F, 0x014E}, {'u', 0x0055, 0x016C}, {'u', 0x0061, 0x0103},
    {'u', 0x0065, 0x0115}, {'u', 0x0067, 0x011F}, {'u', 0x0069, 0x012D}, {'u', 0x006F, 0x014F}, {'u', 0x0075, 0x016D},
    {'u', 0x0228, 0x1E1C}, {'u', 0x0229, 0x1E1D}, {'v', 0x0041, 0x01CD}, {'v', 0x0043, 0x010C}, {'v', 0x0044, 0x010E},
    {'v', 0x0045, 0x011A}, {'v', 0x0047, 0x01E6}, {'v', 0x0048, 0x021E}, {'v', 0x0049, 0x01CF}, {'v', 0x004B, 0x01E8},
    {'v', 0x004C, 0x013D}, {'v', 0x004E, 0x0147}, {'v', 0x004F, 0x01D1}, {'v', 0x0052, 0x0158}, {'v', 0x0053, 0x0160},
    {'v', 0x0054, 0x0164}, {'v', 0x0055, 0x01D3}, {'v', 0x005A, 0x017D}, {'v', 0x0061, 0x01CE}, {'v', 0x0063, 0x010D},
    {'v', 0x0064, 0x010F}, {'v', 0x0065, 0x011B}, {'v', 0x0067, 0x01E7}, {'v', 0x0068, 0x021F}, {'v', 0x0069, 0x01D0},
    {'v', 0x006A, 0x01F0}, {'v', 0x006B, 0x01E9}, {'v', 0x006C, 0x013E}, {'v', 0x006E, 0x0148}, {'v', 0x006F, 0x01D2},
    {'v', 0x0072, 0x0159}, {'v', 0x0073, 0x0161}, {'v', 0x0074, 0x0165}, {'v', 0x0075, 0x01D4}, {'v', 0x007A, 0x017E},
    {'v', 0x00DC, 0x01D9}, {'v', 0x00FC, 0x01DA}, {'v', 0x01B7, 0x01EE}, {'~', 0x0041, 0x00C3}, {'~', 0x0045, 0x1EBC},
    {'~', 0x0049, 0x0128}, {'~', 0x004E, 0x00D1}, {'~', 0x004F, 0x00D5}, {'~', 0x0055, 0x0168}, {'~', 0x0056, 0x1E7C},
    {'~', 0x0059, 0x1EF8}, {'~', 0x0061, 0x00E3}, {'~', 0x0065, 0x1EBD}, {'~', 0x0069, 0x0129}, {'~', 0x006E, 0x00F1},
    {'~', 0x006F, 0x00F5}, {'~', 0x0075, 0x0169}, {'~', 0x0076, 0x1E7D}, {'~', 0x0079, 0x1EF9}, {'~', 0x00C2, 0x1EAA},
    {'~', 0x00CA, 0x1EC4}, {'~', 0x00D4, 0x1ED6}, {'~', 0x00E2, 0x1EAB}, {'~', 0x00EA, 0x1EC5}, {'~', 0x00F4, 0x1ED7},
    {'~', 0x0102, 0x1EB4}, {'~', 0x0103, 0x1EB5}, {'~', 0x01A0, 0x1EE0}, {'~', 0x01A1, 0x1EE1}, {'~', 0x01AF, 0x1EEE},
    {'~', 0x01B0, 0x1EEF},
};

/// The combining mark of an accent command, 0 if `accent` is not one.
char32_t combining_mark(char accent) {
    switch (accent) {
        case '\'': return 0x0301;
        case '`': return 0x0300;
        case '^': return 0x0302;
        case '"': return 0x0308;
        case '~': return 0x0303;
        case '=': return 0x0304;
        case '.': return 0x0307;
        case 'u': return 0x0306;
        case 'v': return 0x030C;
        case 'H': return 0x030B;
        case 'c': return 0x0327;
        case 'k': return 0x0328;
        case 'r': return 0x030A;
        case 'd': return 0x0323;
        case 'b': return 0x0331;
        case 't': return 0x0361;   // tie: not applied, the argument is kept as it is
        default: return 0;
    }
}

bool is_symbol_accent(char c) { return c && std::strchr("'`^\"~=.", c) != nullptr; }
bool is_letter_accent(std::string_view name) {
    return name.size() == 1 && std::strchr("uvHckrdbt", name[0]) != nullptr;
}

/// Control words that stand for a character or a word (special letters, symbols, Greek).
const std::unordered_map<std::string_view, std::string_view>& named_commands() {
    static const std::unordered_map<std::string_view, std::string_view> table{
        {"ss", "ß"}, {"SS", "SS"}, {"o", "ø"}, {"O", "Ø"}, {"aa", "å"}, {"AA", "Å"}, {"ae", "æ"},
        {"AE", "Æ"}, {"oe", "œ"}, {"OE", "Œ"}, {"l", "ł"}, {"L", "Ł"}, {"i", "ı"}, {"j", "ȷ"},
        {"dh", "ð"}, {"DH", "Ð"}, {"th", "þ"}, {"TH", "Þ"}, {"ng", "ŋ"}, {"NG", "Ŋ"}, {"dj", "đ"},
        {"DJ", "Đ"},
        {"textendash", "–"}, {"textemdash", "—"}, {"ldots", "…"}, {"dots", "…"}, {"textellipsis", "…"},
        {"copyright", "©"}, {"textcopyright", "©"}, {"textregistered", "®"}, {"texttrademark", "™"},
        {"pounds", "£"}, {"textsterling", "£"}, {"euro", "€"}, {"texteuro", "€"}, {"S", "§"}, {"P", "¶"},
        {"dag", "†"}, {"ddag", "‡"}, {"textbullet", "•"}, {"textperiodcentered", "·"},
        {"textquoteleft", "‘"}, {"textquoteright", "’"}, {"textquotedblleft", "“"},
        {"textquotedblright", "”"}, {"guillemotleft", "«"}, {"guillemotright", "»"}, {"textless", "<"},
        {"textgreater", ">"}, {"textbar", "|"}, {"textbackslash", "\\"}, {"backslash", "\\"},
        {"textasciitilde", "~"}, {"textasciicircum", "^"}, {"textunderscore", "_"}, {"textdegree", "°"},
        {"textbraceleft", "{"}, {"textbraceright", "}"}, {"textasciigrave", "`"}, {"textquotedbl", "\""},
        {"degree", "°"}, {"LaTeX", "LaTeX"}, {"TeX", "TeX"}, {"BibTeX", "BibTeX"},
        {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"},
        {"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"vartheta", "ϑ"},
        {"iota", "ι"}, {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"}, {"xi", "ξ"},
        {"pi", "π"}, {"rho", "ρ"}, {"sigma", "σ"}, {"tau", "τ"}, {"upsilon", "υ"}, {"phi", "φ"},
        {"varphi", "φ"}, {"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"},
        {"Theta", "Θ"}, {"Lambda", "Λ"}, {"Xi", "Ξ"}, {"Pi", "Π"}, {"Sigma", "Σ"}, {"Upsilon", "Υ"},
        {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"},
        {"pm", "±"}, {"times", "×"}, {"cdot", "·"}, {"le", "≤"}, {"leq", "≤"}, {"ge", "≥"}, {"geq", "≥"},
        {"neq", "≠"}, {"approx", "≈"}, {"infty", "∞"}, {"to", "→"}, {"rightarrow", "→"},
        {"leftarrow", "←"},
    };
    return table;
}

/// Offset of the '}' matching the '{' at `open` (braces count whatever precedes them, as in
/// BibTeX), or npos.
std::size_t matching_brace(std::string_view text, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == '{') ++depth;
        else if (text[i] == '}' && --depth == 0) return i;
    }
    return std::string_view::npos;
}

/// URLs, DOIs and file names: braces dropped and \_ \% \& \# \$ \{ \} \~ unescaped, nothing else
/// (no '~' to space, no dashes): "http://x.org/{\_}a~b" -> "http://x.org/_a~b".
void append_verbatim(std::string_view raw, std::string& out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '{' || c == '}') continue;
        if (c == '\\' && i + 1 < raw.size() && std::strchr("_%&#${}~", raw[i + 1]) && raw[i + 1]) {
            out += raw[++i];
            continue;
        }
        out += c;
    }
}

constexpr int max_latex_depth = 32;   // accent arguments nested deeper are copied, not converted

void convert_latex(std::string_view in, std::string& out, int depth);

/// An accent command's argument starts at `pos` (white space before it is skipped): a {group}, a
/// control sequence (\i) or one character. Appends the accented text; returns the offset after it.
std::size_t apply_accent(std::string_view in, std::size_t pos, char accent, std::string& out, int depth) {
    while (pos < in.size() && is_space(in[pos])) ++pos;
    if (pos >= in.size()) return pos;
    std::string arg;
    std::size_t next;
    if (in[pos] == '{') {
        const std::size_t close = matching_brace(in, pos);
        next = close == std::string_view::npos ? in.size() : close + 1;
        const std::string_view inner = in.substr(pos + 1, next - pos - 1 - (close == std::string_view::npos ? 0 : 1));
        if (depth < max_latex_depth) convert_latex(inner, arg, depth + 1);
        else arg.assign(inner);
    } else if (in[pos] == '\\') {
        next = pos + 1;
        if (next < in.size() && is_letter(in[next])) {
            while (next < in.size() && is_letter(in[next])) ++next;
        } else if (next < in.size()) {
            seed::next_code_point(in, next);   // a whole character: never half of a UTF-8 sequence
        }
        if (depth < max_latex_depth) convert_latex(in.substr(pos, next - pos), arg, depth + 1);
    } else {
        next = pos;
        seed::next_code_point(in, next);
        arg.assign(in.substr(pos, next - pos));
    }
    if (arg.empty()) {
        // \~{} and \^{} are how BibTeX files write a plain tilde or caret.
        if (accent == '~' || accent == '^') out += accent;
        return next;
    }
    if (accent == 't') {
        out += arg;
        return next;
    }
    std::size_t rest = 0;
    char32_t base = seed::next_code_point(arg, rest);
    if (base == 0x0131) base = 'i';   // \'{\i}: the dotless i takes the accent
    if (base == 0x0237) base = 'j';
    const Composition key{accent, base, 0};
    const auto less = [](const Composition& a, const Composition& b) {
        const auto accent_a = static_cast<unsigned char>(a.accent), accent_b = static_cast<unsigned char>(b.accent);
        return accent_a != accent_b ? accent_a < accent_b : a.base < b.base;
    };
    const auto* found = std::lower_bound(std::begin(compositions), std::end(compositions), key, less);
    if (found != std::end(compositions) && found->accent == accent && found->base == base) {
        append_utf8(out, found->composed);
    } else {
        append_utf8(out, base);
        append_utf8(out, combining_mark(accent));
    }
    out.append(arg, rest, std::string::npos);
    return next;
}

/// A control sequence starts at `pos` (the backslash). Appends its text; returns the offset after it.
std::size_t convert_command(std::string_view in, std::size_t pos, std::string& out, int depth) {
    const std::size_t after_backslash = pos + 1;
    if (after_backslash >= in.size()) return in.size();
    const char c = in[after_backslash];
    if (is_letter(c)) {
        std::size_t end = after_backslash;
        while (end < in.size() && is_letter(in[end])) ++end;
        const std::string_view name = in.substr(after_backslash, end - after_backslash);
        std::size_t next = end;
        while (next < in.size() && is_space(in[next])) ++next;   // TeX skips spaces after a control word
        if (is_letter_accent(name)) return apply_accent(in, next, name[0], out, depth);
        if ((name == "url" || name == "path" || name == "href") && next < in.size() && in[next] == '{') {
            const std::size_t close = matching_brace(in, next);
            if (close == std::string_view::npos) return next;
            // \url{...} is verbatim; \href{url}{text} shows its text.
            if (name != "href") append_verbatim(in.substr(next + 1, close - next - 1), out);
            return close + 1;
        }
        const auto& table = named_commands();
        if (auto found = table.find(name); found != table.end()) out += found->second;
        // Unknown commands (\emph, \textit, \bf ...) vanish; their {argument} stays as text.
        return next;
    }
    if (is_symbol_accent(c)) return apply_accent(in, after_backslash + 1, c, out, depth);
    switch (c) {
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            out += c;
            return after_backslash + 1;
        case ' ': case '\t': case '\n': case '\r': case ',': case ';': case ':': case '\\':
            out += ' ';   // control space, thin spaces, line break
            return after_backslash + 1;
        default:
            // \- \/ \@ \! and other control symbols print nothing; a non-ASCII character stays.
            return static_cast<unsigned char>(c) >= 0x80 ? after_backslash : after_backslash + 1;
    }
}

void convert_latex(std::string_view in, std::string& out, int depth) {
    bool math = false;
    std::size_t i = 0;
    while (i < in.size()) {
        const char c = in[i];
        switch (c) {
            case '{':
            case '}':
                ++i;   // grouping braces: {BERT} -> BERT
                break;
            case '$':
                math = !math;
                ++i;
                break;
            case '~':
                out += ' ';
                ++i;
                break;
            case '\\':
                i = convert_command(in, i, out, depth);
                break;
            case '-': {
                std::size_t run = 0;
                while (i < in.size() && in[i] == '-') ++run, ++i;
                for (; run >= 3; run -= 3) out += "—";
                if (run == 2) out += "–";
                else if (run == 1) out += '-';
                break;
            }
            case '`':
                if (i + 1 < in.size() && in[i + 1] == '`') out += "“", i += 2;
                else out += "‘", ++i;
                break;
            case '\'':
                if (i + 1 < in.size() && in[i + 1] == '\'') out += "”", i += 2;
                else out += '\'', ++i;
                break;
            case '^':
            case '_':
                if (!math) out += c;   // $H_2O$ -> H2O
                ++i;
                break;
            default: {
                // Copy the run of ordinary bytes at once.
                std::size_t end = i + 1;
                while (end < in.size() && !std::strchr("{}$~\\-`'^_", in[end])) ++end;
                out.append(in, i, end - i);
                i = end;
            }
        }
    }
}

/// A field value as text: LaTeX converted, white space collapsed and trimmed.
std::string text_value(std::string_view raw) {
    std::string converted;
    converted.reserve(raw.size());
    convert_latex(raw, converted, 0);
    return seed::normalize_space(converted);
}

std::string verbatim_value(std::string_view raw) {
    std::string converted;
    converted.reserve(raw.size());
    append_verbatim(raw, converted);
    return seed::normalize_space(converted);
}

bool is_verbatim_field(std::string_view name) {
    return name == "url" || name == "doi" || name == "eprint" || name == "file" || name == "pdf" ||
           name == "biburl";
}

// ---------------------------------------------------------------------------------------------
// Field helpers

/// Splits a raw name list at " and " (any case, any white space around it) outside braces:
/// "{Barnes and Noble} and Smith, J." is two names.
std::vector<std::string_view> split_names(std::string_view raw) {
    std::vector<std::string_view> names;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '{') ++depth;
        else if (c == '}') --depth;
        else if (depth == 0 && is_space(c) && i + 4 < raw.size() && lower(raw[i + 1]) == 'a' &&
                 lower(raw[i + 2]) == 'n' && lower(raw[i + 3]) == 'd' && is_space(raw[i + 4])) {
            names.push_back(raw.substr(start, i - start));
            start = i + 4;
            i += 3;
        }
    }
    names.push_back(raw.substr(start));
    return names;
}

std::vector<std::string> name_list(std::string_view raw) {
    std::vector<std::string> out;
    for (std::string_view piece : split_names(raw)) {
        std::string name = text_value(piece);
        if (name.empty() || lower_ascii(name) == "others") continue;
        out.push_back(std::move(name));
    }
    return out;
}

std::string language_value(std::string value) {
    const bool code = (value.size() == 2 || value.size() == 3) &&
                      std::all_of(value.begin(), value.end(), [](char c) { return is_letter(c); });
    return code ? lower_ascii(value) : value;
}

// ---------------------------------------------------------------------------------------------
// The parser

const std::map<std::string, std::string, std::less<>>& month_macros() {
    static const std::map<std::string, std::string, std::less<>> months{
        {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
        {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
        {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};
    return months;
}

/// Why an entry is rejected. `to_end`: it never closes and takes the rest of the text.
struct EntryError {
    std::size_t pos = 0;
    std::string message;
    bool to_end = false;
    std::string code = "bad_entry";
    std::size_t reported_at = std::string_view::npos;   ///< where to report, when not at `pos`
};

struct RawField {
    std::string name;    ///< lower-cased
    std::string value;   ///< the pieces' contents concatenated, LaTeX still in it
};

struct UnknownMacro {
    std::size_t pos;
    std::string name;
};

class BibtexParser {
public:
    BibtexParser(std::string_view text, ParseResult& result, BibtexStrings& macros)
        : text_(text), result_(result), macros_(macros), lines_(text) {}

    void run() {
        std::size_t pos = 0;
        while (pos < text_.size()) {
            // `pos` is at the start of a line or just after an entry: only an '@' first on it
            // (after white space) starts an entry, anything else is a comment.
            std::size_t at = pos;
            while (true) {
                if (at < text_.size() && is_inline_space(text_[at])) ++at;
                else if (text_.substr(at, utf8_bom.size()) == utf8_bom) at += utf8_bom.size();
                else break;
            }
            if (at < text_.size() && text_[at] == '@') {
                pos = entry(at);
                continue;
            }
            pos = next_line(at);
        }
        if (entries_ == 0)
            result_.file_error = record::Diagnostic{result_.file, 0, "no_records", "no BibTeX entries in file", -1};
    }

private:
    std::size_t next_line(std::size_t pos) const {
        const std::size_t newline = text_.find('\n', pos);
        return newline == std::string_view::npos ? text_.size() : newline + 1;
    }

    std::size_t line_start(std::size_t pos) const {
        if (pos == 0) return 0;
        const std::size_t newline = text_.rfind('\n', pos - 1);
        return newline == std::string_view::npos ? 0 : newline + 1;
    }

    [[noreturn]] void fail(std::size_t pos, std::string message) const { throw EntryError{pos, std::move(message), false}; }
    [[noreturn]] void fail_to_end(std::string message) const { throw EntryError{text_.size(), std::move(message), true}; }

    std::string unclosed_message() const {
        return "the entry is never closed: missing '" + std::string(1, close_) +
               "' (or an unbalanced '{' or '\"' in a value) before the end of the file";
    }

    /// Skips white space and %-comments between tokens of an entry; the end of the text there
    /// means the entry never closes.
    void skip_space(std::size_t& pos) const {
        while (pos < text_.size()) {
            if (is_space(text_[pos])) ++pos;
            else if (text_[pos] == '%') pos = next_line(pos);
            else return;
        }
        fail_to_end(unclosed_message());
    }

    std::string_view read_name(std::size_t& pos) const {
        const std::size_t start = pos;
        while (pos < text_.size() && is_name_char(text_[pos])) ++pos;
        return text_.substr(start, pos - start);
    }

    std::string shown(std::size_t pos) const {
        if (pos >= text_.size()) return "the end of the file";
        const char c = text_[pos];
        if (c == '\n' || c == '\r') return "the end of the line";
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) return "a non-ASCII character";
        return "'" + std::string(1, c) + "'";
    }

    /// Where a line in text_(from, limit) starts an entry ("@article{", "  @Misc ("), or npos.
    std::size_t entry_start_between(std::size_t from, std::size_t limit) const {
        limit = std::min(limit, text_.size());
        for (std::size_t at = text_.find('@', from); at < limit; at = text_.find('@', at + 1)) {
            std::size_t before = at;
            while (before > from && is_inline_space(text_[before - 1])) --before;
            if (before <= from || text_[before - 1] != '\n') continue;
            std::size_t after = at + 1;
            const std::size_t name_start = after;
            while (after < text_.size() && is_name_char(text_[after])) ++after;
            if (after == name_start) continue;
            while (after < text_.size() && is_inline_space(text_[after])) ++after;
            if (after < text_.size() && (text_[after] == '{' || text_[after] == '(')) return at;
        }
        return std::string_view::npos;
    }

    /// A value left open until a line that starts the next entry almost always lost its closing
    /// brace or quote: the entry is rejected there and reading goes on with that entry, instead
    /// of every later entry being swallowed by the open value.
    void stop_at_next_entry(std::size_t open, std::size_t close, std::string_view field) const {
        const std::size_t next = entry_start_between(open + 1, close);
        if (next == std::string_view::npos) return;
        throw EntryError{next,
                         "the " + std::string(text_[open] == '{' ? "'{'" : "quote") + " of field '" + std::string(field) +
                             "' is not closed before the next entry (line " + std::to_string(lines_.line_at(next)) + ")",
                         false, "bad_entry", open};
    }

    /// value = piece ('#' piece)*; piece = {braced} | "quoted" | number | macro name.
    std::string value(std::size_t& pos, std::string_view field, std::vector<UnknownMacro>& unknown) const {
        std::string out;
        while (true) {
            skip_space(pos);
            const char c = text_[pos];
            if (c == '{') {
                const std::size_t close = matching_brace(text_, pos);
                stop_at_next_entry(pos, close, field);
                if (close == std::string_view::npos)
                    fail_to_end("unbalanced braces: the '{' of field '" + std::string(field) + "' is never closed");
                out.append(text_, pos + 1, close - pos - 1);
                pos = close + 1;
            } else if (c == '"') {
                int depth = 0;
                std::size_t end = pos + 1;
                for (; end < text_.size(); ++end) {
                    const char d = text_[end];
                    if (d == '{') ++depth;
                    else if (d == '}' && --depth < 0)
                        fail(end, "unbalanced '}' in the quoted value of field '" + std::string(field) + "'");
                    else if (d == '"' && depth == 0) break;
                }
                stop_at_next_entry(pos, end, field);
                if (end >= text_.size())
                    fail_to_end("the quoted value of field '" + std::string(field) + "' is never closed (missing '\"')");
                out.append(text_, pos + 1, end - pos - 1);
                pos = end + 1;
            } else if (is_name_char(c)) {
                const std::size_t start = pos;
                const std::string_view name = read_name(pos);
                if (is_digit(c)) {
                    out += name;   // a bare number (2012), kept as written
                } else {
                    const std::string key = lower_ascii(name);
                    if (auto found = macros_.find(key); found != macros_.end()) out += found->second;
                    else if (auto month = month_macros().find(key); month != month_macros().end()) out += month->second;
                    else {
                        out += name;
                        unknown.push_back({start, std::string(name)});
                    }
                }
            } else {
                fail(pos, "expected a value for field '" + std::string(field) +
                              "' ({...}, \"...\", a number or a @string name), found " + shown(pos));
            }
            if (out.size() > max_record_bytes)
                throw EntryError{pos, "the value of field '" + std::string(field) + "' is longer than the " +
                                          megabytes(max_record_bytes) + " limit (after @string expansion)",
                                 false, "record_too_long"};
            std::size_t after = pos;
            skip_space(after);
            if (text_[after] != '#') return out;
            pos = after + 1;
        }
    }

    /// Where to look for the next entry after one rejected at `problem`: that line if the problem
    /// is an '@' starting it (the next entry, as when a '}' is missing), else the line after it.
    std::size_t resume_after(std::size_t at, std::size_t problem) const {
        const std::size_t start = line_start(problem);
        if (start > at && problem < text_.size() && text_[problem] == '@') {
            std::size_t first = start;
            while (first < problem && is_inline_space(text_[first])) ++first;
            if (first == problem) return start;
        }
        return next_line(problem);
    }

    void report(std::size_t pos, std::string code, std::string message, int index) {
        result_.errors.push_back({result_.file, lines_.line_at(pos), std::move(code), std::move(message), index});
    }

    /// The entry is kept: the diagnostic is a warning.
    void warn(std::size_t pos, std::string code, std::string message, int index) {
        report(pos, std::move(code), std::move(message), index);
        result_.errors.back().warning = true;
    }

    /// Reports an entry longer than max_record_bytes (text_[at, end)); true if it is.
    bool too_long(std::size_t at, std::size_t end, int index) {
        if (end - at <= max_record_bytes) return false;
        report(at, "record_too_long",
               "entry of " + megabytes(end - at) + " is longer than the " + megabytes(max_record_bytes) +
                   " limit: entry skipped",
               index);
        return true;
    }

    /// Reports invalid UTF-8 or a NUL byte in text_[from, to); true if there is one.
    bool bad_encoding(std::size_t from, std::size_t to, int index) {
        const auto problem = seed::find_encoding_problem(text_.substr(from, to - from));
        if (!problem) return false;
        const std::size_t pos = from + problem->offset;
        std::string message;
        if (problem->nul) {
            message = "NUL byte in the entry: the file is binary or UTF-16, not a UTF-8 BibTeX file";
        } else {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text_[pos]));
            message = std::string("invalid UTF-8 (byte ") + byte +
                      "): BibTeX files must be UTF-8 (convert Latin-1, GBK or other encodings first)";
        }
        report(pos, "bad_encoding", message + ": entry skipped", index);
        return true;
    }

    /// Parses the entry whose '@' is at `at`; returns where scanning goes on.
    std::size_t entry(std::size_t at) {
        std::size_t pos = at + 1;
        while (pos < text_.size() && is_inline_space(text_[pos])) ++pos;
        const std::string type = lower_ascii(read_name(pos));
        if (type == "comment") {
            // A comment: its {group} is skipped when it closes; else the word alone (BibTeX's rule).
            std::size_t open = pos;
            while (open < text_.size() && is_space(text_[open])) ++open;
            if (open < text_.size() && text_[open] == '{') {
                const std::size_t close = matching_brace(text_, open);
                if (close != std::string_view::npos) return close + 1;
            } else if (open < text_.size() && text_[open] == '(') {
                const std::size_t close = text_.find(')', open);
                if (close != std::string_view::npos) return close + 1;
            }
            return pos;
        }
        const bool is_string = type == "string", is_preamble = type == "preamble";
        const int index = (is_string || is_preamble) ? -1 : entries_++;
        close_ = '}';
        try {
            if (type.empty())
                fail(pos, "expected an entry type after '@' (like @article{key, ...}), found " + shown(pos));
            skip_space(pos);
            if (text_[pos] != '{' && text_[pos] != '(')
                fail(pos, "expected '{' after @" + type + ", found " + shown(pos));
            close_ = text_[pos] == '{' ? '}' : ')';
            ++pos;
            if (is_preamble) return preamble(at, pos);
            if (is_string) return string_definition(at, pos);
            return regular_entry(at, pos, type, index);
        } catch (const EntryError& error) {
            if (!error.to_end && bad_encoding(at, error.pos, index)) return resume_after(at, error.pos);
            const std::size_t line_pos = error.reported_at != std::string_view::npos ? error.reported_at
                                         : error.to_end || error.code != "bad_entry" ? at
                                                                                     : error.pos;
            std::string where = is_string ? "@string: " : is_preamble ? "@preamble: " : "";
            report(line_pos, error.code, where + error.message + ": entry skipped", index);
            return error.to_end ? text_.size() : resume_after(at, error.pos);
        }
    }

    std::size_t preamble(std::size_t at, std::size_t pos) {
        // Contents are not used: only find where it closes.
        int depth = 0;
        for (; pos < text_.size(); ++pos) {
            const char c = text_[pos];
            if (c == '{') ++depth;
            else if (c == '}' && depth > 0) --depth;
            else if (c == close_ && depth == 0) break;
        }
        if (pos >= text_.size()) {
            report(at, "bad_entry", "@preamble: " + unclosed_message() + ": entry skipped", -1);
            return text_.size();
        }
        return pos + 1;
    }

    /// `name = value` pairs separated by ',' up to the closing delimiter (a trailing ',' is
    /// fine), left at `pos`; each is handed to `take(name, value)`. `in_string`: the pairs of a
    /// @string (macro definitions), else an entry's fields — only the messages differ.
    template <class Take>
    void assignments(std::size_t& pos, std::vector<UnknownMacro>& unknown, bool in_string, Take&& take) const {
        const std::string closer = "'" + std::string(1, close_) + "'";
        while (true) {
            skip_space(pos);
            if (text_[pos] == close_) return;
            const std::string_view name = read_name(pos);
            if (name.empty())
                fail(pos, in_string ? "expected a macro name (@string{name = {value}}), found " + shown(pos)
                                    : "expected a field name or " + closer + ", found " + shown(pos));
            const std::size_t name_end = pos;
            skip_space(pos);
            if (text_[pos] != '=')
                fail(name_end, (in_string ? "missing '=' after macro name '" : "missing '=' after field '") +
                                   std::string(name) + "'");
            ++pos;
            take(name, value(pos, name, unknown));
            const std::size_t value_end = pos;
            skip_space(pos);
            if (text_[pos] == ',') {
                ++pos;
                continue;
            }
            if (text_[pos] == close_) return;
            fail(value_end, in_string ? "expected ',' or " + closer + " after the value of @string '" + std::string(name) + "'"
                                      : "expected ',' or " + closer + " after the value of field '" + std::string(name) +
                                            "', found " + shown(pos));
        }
    }

    std::size_t string_definition(std::size_t at, std::size_t pos) {
        std::vector<std::pair<std::string, std::string>> definitions;
        std::vector<UnknownMacro> unknown;
        assignments(pos, unknown, true, [&](std::string_view name, std::string text) {
            definitions.emplace_back(lower_ascii(name), std::move(text));
        });
        ++pos;
        if (too_long(at, pos, -1) || bad_encoding(at, pos, -1)) return pos;
        for (auto& [name, text] : definitions) macros_[name] = std::move(text);
        for (const auto& macro : unknown)
            warn(macro.pos, "unknown_string", unknown_message(macro.name), -1);
        return pos;
    }

    static std::string unknown_message(const std::string& name) {
        return "unknown @string macro '" + name + "': kept as the text \"" + name +
               "\" (define it with @string{" + name + " = {...}} before use, or put the value in braces)";
    }

    std::size_t regular_entry(std::size_t at, std::size_t pos, const std::string& type, int index) {
        skip_space(pos);
        const std::size_t key_start = pos;
        while (pos < text_.size() && is_key_char(text_[pos])) ++pos;
        const std::string_view key = text_.substr(key_start, pos - key_start);
        if (key.empty()) fail(key_start, "missing key: expected @" + type + "{key, field = {value}, ...}");
        const std::size_t key_end = pos;
        skip_space(pos);
        if (text_[pos] == '=')
            fail(key_start, "missing key: '" + std::string(key) + "' is followed by '=' (expected @" + type +
                                "{key, " + std::string(key) + " = ...})");
        std::vector<RawField> fields;
        std::unordered_set<std::string> seen;
        std::vector<UnknownMacro> unknown;
        if (text_[pos] == ',') {
            ++pos;
            assignments(pos, unknown, false, [&](std::string_view name, std::string field_value) {
                std::string field_name = lower_ascii(name);
                if (seen.insert(field_name).second) fields.push_back({std::move(field_name), std::move(field_value)});
            });
        } else if (text_[pos] != close_) {
            fail(key_end, "expected ',' after the key '" + std::string(key) + "', found " + shown(pos));
        }
        ++pos;   // the closing '}' or ')'
        if (too_long(at, pos, index) || bad_encoding(at, pos, index)) return pos;
        build_record(at, index, type, key, fields, unknown);
        return pos;
    }

    void build_record(std::size_t at, int index, const std::string& type, std::string_view key,
                      const std::vector<RawField>& fields, const std::vector<UnknownMacro>& unknown) {
        record::Record record;
        record::ExtraBuilder extra(record);
        record.id = std::string(key);
        extra.add("type", type);
        const bool has_journal = std::any_of(fields.begin(), fields.end(), [](const RawField& field) {
            return field.name == "journal" || field.name == "journaltitle";
        });
        const bool booktitle_is_venue =
            !has_journal && (type == "inproceedings" || type == "incollection" || type == "conference");
        std::optional<int> date_year;
        bool have_keywords = false, have_affiliations = false;
        for (const auto& [name, raw] : fields) {
            if (is_verbatim_field(name)) {
                std::string text = verbatim_value(raw);
                if (text.empty()) continue;
                if (name == "doi") {
                    if (std::string_view doi = record::doi_without_prefix(text); !doi.empty()) record.doi = std::string(doi);
                    continue;
                }
                extra.add(name, std::move(text));
                continue;
            }
            if (name == "author") {
                for (auto& author : name_list(raw)) record.authors.push_back({std::move(author), {}});
                continue;
            }
            if (name == "affiliation" || name == "affiliations") {
                if (have_affiliations) continue;
                have_affiliations = true;
                for (auto& affiliation : name_list(raw))
                    record.affiliations.push_back({static_cast<int>(record.affiliations.size()) + 1, std::move(affiliation)});
                continue;
            }
            std::string text = text_value(raw);
            if (text.empty()) continue;
            if (name == "title") {
                record.title = std::move(text);
            } else if (name == "abstract") {
                record.abstract = std::move(text);
            } else if (name == "journal" || name == "journaltitle") {
                if (!record.venue) record.venue = std::move(text);
            } else if (name == "booktitle" && booktitle_is_venue) {
                record.venue = std::move(text);
            } else if (name == "keywords" || name == "keyword") {
                if (have_keywords) continue;
                have_keywords = true;
                // Semicolons when there are any (full-width ones too), else commas.
                const bool semicolons = text.find(';') != std::string::npos || text.find("；") != std::string::npos;
                for (std::string_view keyword : seed::split_at(text, semicolons ? U";；" : U",，")) {
                    keyword = seed::trim(keyword);
                    if (!keyword.empty()) record.keywords.emplace_back(keyword);
                }
            } else if (name == "year") {
                if (auto year = record::year_in(text)) record.year = year;
                else extra.add(name, std::move(text));   // "in press": kept as written
            } else if (name == "date") {
                date_year = record::year_in(text);
                extra.add(name, std::move(text));
            } else if (name == "pages") {
                record.pages = seed::split_page_range(text);
            } else if (name == "language") {
                record.language = language_value(std::move(text));
            } else if (name == "type") {
                // The entry type is extra "type": the field (@techreport's "Technical Note") gets its own label.
                extra.add("type_field", std::move(text));
            } else {
                extra.add(name, std::move(text));
            }
        }
        if (!record.year && date_year) record.year = date_year;
        if (!record.doi) {
            for (const auto& [label, value] : record.extra) {
                if (label != "url") continue;
                if (std::string_view doi = record::doi_of_url(value); !doi.empty()) record.doi = std::string(doi);
                break;
            }
        }
        if (record.title.empty() && !record.abstract && !record.doi) {
            report(at, "empty_record",
                   "entry '" + std::string(key) + "' has no title, abstract or doi: nothing to index", index);
            return;
        }
        for (const auto& macro : unknown) warn(macro.pos, "unknown_string", unknown_message(macro.name), index);
        record.source = {result_.file, lines_.line_at(at), index};
        result_.records.push_back(std::move(record));
    }

    std::string_view text_;
    ParseResult& result_;
    BibtexStrings& macros_;
    mutable LineCounter lines_;   // a cache of where it last counted: lookups stay cheap in const members
    int entries_ = 0;
    char close_ = '}';   ///< the current entry's closing delimiter
};

}  // namespace

ParseResult parse_bibtex(std::string_view text, const std::string& file_path, BibtexStrings* strings) {
    ParseResult result;
    result.file = file_path;
    if (text.substr(0, utf8_bom.size()) == utf8_bom) text.remove_prefix(utf8_bom.size());
    BibtexStrings local;
    BibtexParser parser(text, result, strings ? *strings : local);
    try {
        parser.run();
    } catch (const std::exception& problem) {
        // Out of memory or a bug: what was read so far is kept, the rest of the file is reported.
        result.file_error = record::Diagnostic{file_path, 0, "parse_failed", problem.what(), -1};
    }
    return result;
}

}  // namespace scholarsearch::parse
