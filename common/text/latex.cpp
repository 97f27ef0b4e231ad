#include "text/latex.hpp"

#include "text/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

namespace scholarsearch::text {

namespace {

constexpr std::size_t npos = std::string_view::npos;

/// Arguments nested deeper than this are copied as written: bounds the recursion.
constexpr int max_depth = 32;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of the UTF-8 sequence starting at `pos`, 1 for a byte that starts none (invalid
/// input is copied byte by byte, never split in the middle of a valid sequence).
std::size_t sequence_length(std::string_view text, std::size_t pos) {
    return std::max<std::size_t>(valid_sequence_length(text, pos), 1);
}

/// The code point starting at `pos` (a lone invalid byte stands for itself, so the caller's
/// output never gains a sequence the input did not have).
char32_t code_point(std::string_view text, std::size_t pos, std::size_t& length) {
    length = sequence_length(text, pos);
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (length == 1) return lead < 0x80 ? lead : 0xFFFD;
    char32_t c = lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
    return c;
}

// ---- accents -------------------------------------------------------------------------------

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

/// The combining mark of an accent, 0 if `accent` is not one. 'V' stands for \vec, which has
/// no precomposed letters.
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
        case 'V': return 0x20D7;
        case 't': return 0x0361;   // tie: not applied, the argument is kept as it is
        default: return 0;
    }
}

bool is_symbol_accent(char c) { return c && std::strchr("'`^\"~=.", c) != nullptr; }

// ---- the commands we know ----------------------------------------------------------------------

enum class Kind : std::uint8_t {
    symbol,          ///< a character or word: \alpha -> α, \log -> log
    accent,          ///< an accent on its argument: \'e, \v{c}, \hat{x}
    wrapper,         ///< the argument as text: \emph{x} -> x
    vanish,          ///< nothing: style switches and sizes (\em, \bf, \left, \big)
    space,           ///< one space: \quad
    drop_argument,   ///< nothing, argument included: \label{x}
    space_argument,  ///< one space instead of the command and its argument: \hspace{1em}, \end{x}
    environment,     ///< \begin{x}: one space, as space_argument, and an array's column letters go
    cite,            ///< [keys]
    ref,             ///< the key
    eqref,           ///< (key)
    fraction,        ///< a/b
    root,            ///< √x
    url,             ///< verbatim argument
    href,            ///< the second argument
    color,           ///< the second argument: \textcolor{red}{x}
    double_struck,   ///< \mathbb{R} -> ℝ
    negation,        ///< \not\in -> ∉
    item,            ///< •
};

struct Command {
    Kind kind;
    std::string_view text;   ///< symbol: the replacement
    char accent = 0;         ///< accent: the accent character (see combining_mark)
};

const std::unordered_map<std::string_view, Command>& commands() {
    static const std::unordered_map<std::string_view, Command> table = [] {
        std::unordered_map<std::string_view, Command> t;
        auto symbols = [&](std::initializer_list<std::pair<std::string_view, std::string_view>> rows) {
            for (const auto& [name, text] : rows) t.emplace(name, Command{Kind::symbol, text});
        };
        auto kind = [&](Kind k, std::initializer_list<std::string_view> names) {
            for (std::string_view name : names) t.emplace(name, Command{k, {}});
        };
        // Letters and text symbols.
        symbols({{"ss", "ß"}, {"SS", "SS"}, {"o", "ø"}, {"O", "Ø"}, {"aa", "å"}, {"AA", "Å"}, {"ae", "æ"},
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
                 {"degree", "°"}, {"LaTeX", "LaTeX"}, {"TeX", "TeX"}, {"BibTeX", "BibTeX"}});
        // Greek.
        symbols({{"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"},
                 {"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"vartheta", "ϑ"},
                 {"iota", "ι"}, {"kappa", "κ"}, {"varkappa", "ϰ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"},
                 {"xi", "ξ"}, {"omicron", "ο"}, {"pi", "π"}, {"varpi", "ϖ"}, {"rho", "ρ"}, {"varrho", "ϱ"},
                 {"sigma", "σ"}, {"varsigma", "ς"}, {"tau", "τ"}, {"upsilon", "υ"}, {"phi", "φ"},
                 {"varphi", "φ"}, {"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"digamma", "ϝ"},
                 {"Gamma", "Γ"}, {"Delta", "Δ"}, {"Theta", "Θ"}, {"Lambda", "Λ"}, {"Xi", "Ξ"}, {"Pi", "Π"},
                 {"Sigma", "Σ"}, {"Upsilon", "Υ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"},
                 {"varGamma", "Γ"}, {"varDelta", "Δ"}, {"varTheta", "Θ"}, {"varLambda", "Λ"}, {"varPi", "Π"},
                 {"varSigma", "Σ"}, {"varPhi", "Φ"}, {"varPsi", "Ψ"}, {"varOmega", "Ω"}});
        // Math symbols.
        symbols({{"pm", "±"}, {"mp", "∓"}, {"times", "×"}, {"div", "÷"}, {"cdot", "·"}, {"ast", "∗"},
                 {"star", "⋆"}, {"circ", "∘"}, {"bullet", "•"}, {"oplus", "⊕"}, {"ominus", "⊖"},
                 {"otimes", "⊗"}, {"odot", "⊙"}, {"wedge", "∧"}, {"land", "∧"}, {"vee", "∨"}, {"lor", "∨"},
                 {"neg", "¬"}, {"lnot", "¬"}, {"cap", "∩"}, {"cup", "∪"}, {"bigcap", "⋂"}, {"bigcup", "⋃"},
                 {"setminus", "∖"}, {"sqcup", "⊔"}, {"uplus", "⊎"}, {"dagger", "†"}, {"ddagger", "‡"},
                 {"le", "≤"}, {"leq", "≤"}, {"leqslant", "≤"}, {"ge", "≥"}, {"geq", "≥"}, {"geqslant", "≥"},
                 {"ne", "≠"}, {"neq", "≠"}, {"approx", "≈"}, {"sim", "∼"}, {"simeq", "≃"}, {"cong", "≅"},
                 {"equiv", "≡"}, {"propto", "∝"}, {"ll", "≪"}, {"gg", "≫"}, {"lesssim", "≲"}, {"gtrsim", "≳"},
                 {"prec", "≺"}, {"succ", "≻"}, {"preceq", "⪯"}, {"succeq", "⪰"}, {"doteq", "≐"},
                 {"in", "∈"}, {"notin", "∉"}, {"ni", "∋"}, {"subset", "⊂"}, {"supset", "⊃"}, {"subseteq", "⊆"},
                 {"supseteq", "⊇"}, {"subsetneq", "⊊"}, {"supsetneq", "⊋"}, {"emptyset", "∅"},
                 {"varnothing", "∅"}, {"forall", "∀"}, {"exists", "∃"}, {"nexists", "∄"}, {"partial", "∂"},
                 {"nabla", "∇"}, {"infty", "∞"}, {"sum", "∑"}, {"prod", "∏"}, {"coprod", "∐"}, {"int", "∫"},
                 {"iint", "∬"}, {"oint", "∮"}, {"surd", "√"}, {"to", "→"}, {"rightarrow", "→"},
                 {"leftarrow", "←"}, {"gets", "←"}, {"leftrightarrow", "↔"}, {"Rightarrow", "⇒"},
                 {"Leftarrow", "⇐"}, {"Leftrightarrow", "⇔"}, {"longrightarrow", "⟶"}, {"longleftarrow", "⟵"},
                 {"Longrightarrow", "⟹"}, {"implies", "⟹"}, {"iff", "⟺"}, {"mapsto", "↦"},
                 {"longmapsto", "⟼"}, {"hookrightarrow", "↪"}, {"uparrow", "↑"}, {"downarrow", "↓"},
                 {"nearrow", "↗"}, {"searrow", "↘"}, {"rightleftharpoons", "⇌"}, {"perp", "⊥"}, {"bot", "⊥"},
                 {"top", "⊤"}, {"parallel", "∥"}, {"mid", "∣"}, {"vert", "|"}, {"Vert", "‖"}, {"lvert", "|"},
                 {"rvert", "|"}, {"lVert", "‖"}, {"rVert", "‖"}, {"langle", "⟨"}, {"rangle", "⟩"},
                 {"lfloor", "⌊"}, {"rfloor", "⌋"}, {"lceil", "⌈"}, {"rceil", "⌉"}, {"lbrace", "{"},
                 {"rbrace", "}"}, {"lbrack", "["}, {"rbrack", "]"}, {"angle", "∠"}, {"triangle", "△"},
                 {"Box", "□"}, {"square", "□"}, {"Diamond", "◇"}, {"prime", "′"}, {"hbar", "ℏ"}, {"ell", "ℓ"},
                 {"Re", "ℜ"}, {"Im", "ℑ"}, {"wp", "℘"}, {"aleph", "ℵ"}, {"cdots", "⋯"}, {"vdots", "⋮"},
                 {"ddots", "⋱"}, {"colon", ":"}, {"vdash", "⊢"}, {"models", "⊨"}, {"sharp", "♯"},
                 {"flat", "♭"}, {"natural", "♮"}, {"checkmark", "✓"}, {"smallsetminus", "∖"}, {"lhd", "⊲"},
                 {"rhd", "⊳"}, {"unlhd", "⊴"}, {"unrhd", "⊵"}, {"triangleleft", "◁"}, {"triangleright", "▷"}});
        // Abbreviation macros of the common conference style files (CVPR's \eg, \ie, \etal),
        // often pasted into abstracts; and TeX's infix fraction.
        symbols({{"eg", "e.g."}, {"ie", "i.e."}, {"etal", "et al."}, {"etc", "etc."}, {"wrt", "w.r.t."},
                 {"cf", "cf."}, {"vs", "vs."}, {"over", "/"}});
        // Operator names print as words.
        for (std::string_view name : {"log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin",
                                      "arccos", "arctan", "sinh", "cosh", "tanh", "coth", "max", "min", "sup", "inf",
                                      "lim", "limsup", "liminf", "det", "dim", "ker", "deg", "arg", "gcd", "hom",
                                      "Pr", "mod", "bmod", "tr", "diag", "rank", "sgn", "argmax", "argmin"})
            t.emplace(name, Command{Kind::symbol, name});
        // Accents: text accents, and math accents (on their argument, like the text ones).
        for (const auto& [name, a] : std::initializer_list<std::pair<std::string_view, char>>{
                 {"u", 'u'}, {"v", 'v'}, {"H", 'H'}, {"c", 'c'}, {"k", 'k'}, {"r", 'r'}, {"d", 'd'}, {"b", 'b'},
                 {"t", 't'}, {"hat", '^'}, {"widehat", '^'}, {"tilde", '~'}, {"widetilde", '~'}, {"bar", '='}, {"overline", '='},
                 {"dot", '.'}, {"ddot", '"'}, {"acute", '\''}, {"grave", '`'}, {"breve", 'u'}, {"check", 'v'},
                 {"vec", 'V'}})
            t.emplace(name, Command{Kind::accent, {}, a});
        kind(Kind::wrapper, {"emph", "textit", "textbf", "textrm", "textsf", "texttt", "textsc", "textup", "textsl",
                             "textmd", "textnormal", "text", "mathrm", "mathbf", "mathit", "mathsf", "mathtt",
                             "mathcal", "mathscr", "mathfrak", "mathnormal", "boldsymbol", "bm", "pmb", "mbox", "hbox",
                             "fbox", "ensuremath", "operatorname", "underline", "uline", "textsuperscript",
                             "textsubscript", "footnote", "thanks", "NoCaseChange", "MakeUppercase", "MakeLowercase",
                             "uppercase", "lowercase"});
        kind(Kind::vanish, {"em", "it", "bf", "rm", "sf", "tt", "sc", "sl", "up", "cal", "bfseries", "itshape",
                            "upshape", "mdseries", "rmfamily", "sffamily", "ttfamily", "scshape", "slshape",
                            "normalfont", "tiny", "scriptsize", "footnotesize", "small", "normalsize", "large",
                            "Large", "LARGE", "huge", "Huge", "relax", "protect", "noindent", "xspace", "displaystyle",
                            "textstyle", "scriptstyle", "scriptscriptstyle", "limits", "nolimits", "left", "right",
                            "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
                            "Biggl", "Biggr", "nonumber", "notag", "centering", "boldmath", "unboldmath", "newblock",
                            "allowbreak", "nobreak", "ignorespaces", "strut", "smallskip", "medskip", "bigskip"});
        kind(Kind::space, {"quad", "qquad", "enspace", "thinspace", "medspace", "thickspace", "negthinspace",
                           "newline", "linebreak", "par", "enskip", "space", "cr"});
        kind(Kind::drop_argument, {"label", "nocite", "footnotemark", "vphantom", "phantom", "hphantom", "bibitem"});
        kind(Kind::space_argument, {"hspace", "vspace", "end"});
        kind(Kind::environment, {"begin"});
        kind(Kind::cite, {"cite", "citep", "citet", "citealp", "citealt", "citeyear", "citeauthor", "parencite",
                          "textcite", "autocite", "footcite"});
        kind(Kind::ref, {"ref", "autoref", "cref", "Cref", "pageref", "nameref"});
        kind(Kind::eqref, {"eqref"});
        kind(Kind::fraction, {"frac", "dfrac", "tfrac", "cfrac"});
        kind(Kind::root, {"sqrt"});
        kind(Kind::url, {"url", "path"});
        kind(Kind::href, {"href"});
        kind(Kind::color, {"textcolor", "colorbox"});
        kind(Kind::double_struck, {"mathbb", "Bbb", "mathbbm", "bbold"});
        kind(Kind::negation, {"not"});
        kind(Kind::item, {"item"});
        return t;
    }();
    return table;
}

/// The letters of other alphabets that BibTeX writes as commands (\ss, \o, \l ...).
bool is_special_letter(std::string_view name) {
    static constexpr std::string_view letters[] = {"ss", "SS", "o", "O", "aa", "AA", "ae", "AE", "oe", "OE", "l",
                                                   "L", "i", "j", "dh", "DH", "th", "TH", "ng", "NG", "dj", "DJ"};
    return std::find(std::begin(letters), std::end(letters), name) != std::end(letters);
}

/// \mathbb{R} -> ℝ: Unicode's double-struck letters (the seven in the Letterlike block first).
bool append_double_struck(std::string& out, std::string_view letter) {
    if (letter.size() != 1) return false;
    const char c = letter[0];
    switch (c) {
        case 'C': append_utf8(out, 0x2102); return true;
        case 'H': append_utf8(out, 0x210D); return true;
        case 'N': append_utf8(out, 0x2115); return true;
        case 'P': append_utf8(out, 0x2119); return true;
        case 'Q': append_utf8(out, 0x211A); return true;
        case 'R': append_utf8(out, 0x211D); return true;
        case 'Z': append_utf8(out, 0x2124); return true;
        default: break;
    }
    if (c >= 'A' && c <= 'Z') append_utf8(out, 0x1D538 + static_cast<char32_t>(c - 'A'));
    else if (c >= 'a' && c <= 'z') append_utf8(out, 0x1D552 + static_cast<char32_t>(c - 'a'));
    else if (is_digit(c)) append_utf8(out, 0x1D7D8 + static_cast<char32_t>(c - '0'));
    else return false;
    return true;
}

/// One word, number or symbol, maybe negated ("2n", "-3", "α"): needs no parentheses.
bool is_plain_operand(std::string_view operand) {
    if (!operand.empty() && operand.front() == '-') operand.remove_prefix(1);
    return std::none_of(operand.begin(), operand.end(), [](char c) {
        return is_space(c) || std::strchr("+-*/=<>,", c) != nullptr;
    });
}

/// A fraction's or root's operand in parentheses when it is more than one word or number.
void append_operand(std::string& out, const std::string& operand) {
    if (is_plain_operand(operand) && (operand.empty() || operand.front() != '-')) {
        out += operand;
    } else {
        out += '(';
        out += operand;
        out += ')';
    }
}

/// `\not` over its operand: the negated symbol where Unicode has one, else a combining long solidus.
void append_negated(std::string& out, const std::string& operand) {
    static const std::pair<std::string_view, std::string_view> negations[] = {
        {"=", "≠"}, {"∈", "∉"}, {"⊂", "⊄"}, {"⊃", "⊅"}, {"⊆", "⊈"}, {"⊇", "⊉"}, {"≡", "≢"}, {"∼", "≁"},
        {"≃", "≄"}, {"≅", "≇"}, {"≈", "≉"}, {"∣", "∤"}, {"|", "∤"}, {"<", "≮"}, {">", "≯"}, {"≤", "≰"}, {"≥", "≱"},
        {"∃", "∄"}, {"∥", "∦"}};
    for (const auto& [symbol, negated] : negations) {
        if (operand == symbol) {
            out += negated;
            return;
        }
    }
    out += operand;
    if (!operand.empty()) append_utf8(out, 0x0338);
}

// ---- the converter ---------------------------------------------------------------------------

/// Offsets of the `$` delimiters that pair up (readable mode), each marked as opening or closing.
struct MathDelimiter {
    std::size_t pos;
    std::uint8_t length;   ///< 1 for $, 2 for $$
    bool opens;
};

/// Pandoc's tex_math_dollars rule, and a formula holds no `$`: an opening `$` followed by a
/// non-space character is closed by the next `$` when that one has a non-space character before
/// it and no digit after it; otherwise the first `$` is literal and the next one may open.
/// `$$...$$` is closed by the next `$$`, white space allowed inside. Escaped `\$` is never a delimiter. Linear in the text.
std::vector<MathDelimiter> math_delimiters(std::string_view text) {
    std::vector<MathDelimiter> out;
    if (text.find('$') == npos) return out;
    std::vector<std::size_t> dollars;   // unescaped `$`
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '$') {
            dollars.push_back(i);
        }
    }
    std::size_t k = 0;
    while (k < dollars.size()) {
        const std::size_t open = dollars[k];
        const bool display = k + 1 < dollars.size() && dollars[k + 1] == open + 1;
        const std::size_t width = display ? 2 : 1;
        const std::size_t after = open + width;
        const std::size_t j = k + width;   // the next `$`
        if (after >= text.size() || (!display && is_space(text[after])) || j >= dollars.size()) {
            k = j;
            continue;
        }
        const std::size_t close = dollars[j];
        const bool closes = display ? j + 1 < dollars.size() && dollars[j + 1] == close + 1
                                    : !is_space(text[close - 1]) && (close + 1 >= text.size() || !is_digit(text[close + 1]));
        if (!closes) {
            k = j;
            continue;
        }
        out.push_back({open, static_cast<std::uint8_t>(width), true});
        out.push_back({close, static_cast<std::uint8_t>(width), false});
        k = j + width;
    }
    return out;
}

class Converter {
public:
    /// `whole`: the text is LaTeX throughout (BibTeX); otherwise readable() rules.
    Converter(std::string_view in, bool whole) : in_(in), whole_(whole) {
        if (!whole_) delimiters_ = math_delimiters(in_);
    }

    void run(std::string& out) {
        out.reserve(out.size() + in_.size());
        bool math = false;
        convert(0, in_.size(), out, 0, math);
    }

private:
    struct Argument {
        std::size_t begin, end, next;   ///< content [begin, end); `next` is after the argument
    };

    void convert(std::size_t begin, std::size_t end, std::string& out, int depth, bool& math) {
        std::size_t i = begin;
        while (i < end) {
            const char c = in_[i];
            switch (c) {
                case '{':
                case '}':
                    ++i;   // grouping braces: {BERT} -> BERT
                    break;
                case '$':
                    i = dollar(i, end, out, math);
                    break;
                case '~':
                    // A tie joins two words; after a space it is the "approximately" of a text
                    // that was never typeset ("AUC ~0.81").
                    out += !whole_ && (i == 0 || is_space(in_[i - 1])) ? '~' : ' ';
                    ++i;
                    break;
                case '\\':
                    i = command(i, end, out, depth, math);
                    break;
                case '-': {
                    std::size_t run = 0;
                    while (i < end && in_[i] == '-') ++run, ++i;
                    if (math) {
                        out.append(run, '-');
                        break;
                    }
                    for (; run >= 3; run -= 3) out += "—";
                    if (run == 2) out += "–";
                    else if (run == 1) out += '-';
                    break;
                }
                case '`':
                    if (math) out += '`', ++i;
                    else if (i + 1 < end && in_[i + 1] == '`') out += "“", i += 2;
                    else out += "‘", ++i;
                    break;
                case '\'':
                    if (!math && i + 1 < end && in_[i + 1] == '\'') out += "”", i += 2;
                    else out += '\'', ++i;   // an apostrophe, or a prime in math
                    break;
                case '_':
                case '^':
                    i = script(i, end, out, depth, math);
                    break;
                default: {
                    // Copy the run of ordinary bytes at once.
                    std::size_t stop = i + 1;
                    while (stop < end && !std::strchr("{}$~\\-`'_^", in_[stop])) ++stop;
                    out.append(in_, i, stop - i);
                    i = stop;
                }
            }
        }
    }

    /// `_` or `^` at `i`: as written outside math. In math a superscript keeps its `^` and a
    /// subscript loses its `_` ($H_2O$ -> H2O, $O(n^2)$ -> O(n^2)); a braced script of more than
    /// one word or number keeps its grouping as parentheses ($2^{m/3 + 1}$ -> 2^(m/3 + 1),
    /// $x_{i+1}$ -> x_(i+1)), where dropping the braces would change what it says.
    std::size_t script(std::size_t i, std::size_t end, std::string& out, int depth, bool math) {
        const char c = in_[i];
        if (!math) {
            out += c;
            return i + 1;
        }
        std::size_t at = i + 1;
        while (at < end && is_space(in_[at])) ++at;
        if (at < end && in_[at] == '{') {
            const std::size_t close = closing_brace(at);
            if (close != npos && close < end) {
                const std::string content = converted({at + 1, close, close + 1}, depth, math);
                if (is_plain_operand(content)) {
                    if (c == '^') out += '^';
                    out += content;
                } else {
                    out += c;
                    out += '(';
                    out += content;
                    out += ')';
                }
                return close + 1;
            }
        }
        if (c == '^') out += '^';
        return i + 1;
    }

    std::size_t dollar(std::size_t i, std::size_t, std::string& out, bool& math) {
        if (whole_) {
            math = !math;
            return i + 1;
        }
        const auto found = std::lower_bound(delimiters_.begin(), delimiters_.end(), i,
                                            [](const MathDelimiter& d, std::size_t at) { return d.pos < at; });
        if (found == delimiters_.end() || found->pos != i) {
            out += '$';   // a price, or a `$` that pairs with nothing
            return i + 1;
        }
        math = found->opens;
        return i + found->length;
    }

    /// Offset of the `}` closing the `{` at `open` (escaped braces do not count), or npos.
    std::size_t closing_brace(std::size_t open) {
        if (!braces_ready_) {
            braces_ready_ = true;
            std::vector<std::size_t> stack;
            for (std::size_t i = 0; i < in_.size(); ++i) {
                if (in_[i] == '\\') {
                    ++i;
                } else if (in_[i] == '{') {
                    stack.push_back(i);
                } else if (in_[i] == '}' && !stack.empty()) {
                    braces_.emplace_back(stack.back(), i);
                    stack.pop_back();
                }
            }
            std::sort(braces_.begin(), braces_.end());
        }
        const auto found = std::lower_bound(braces_.begin(), braces_.end(), std::pair<std::size_t, std::size_t>{open, 0});
        return found != braces_.end() && found->first == open ? found->second : npos;
    }

    /// A command's argument at `pos` (white space before it skipped): a {group} (to `end` when it
    /// does not close before it), a control sequence, or one character.
    Argument argument(std::size_t pos, std::size_t end) {
        while (pos < end && is_space(in_[pos])) ++pos;
        if (pos >= end) return {pos, pos, pos};
        if (in_[pos] == '{') {
            const std::size_t close = closing_brace(pos);
            if (close == npos || close >= end) return {pos + 1, end, end};
            return {pos + 1, close, close + 1};
        }
        std::size_t next = pos + 1;
        if (in_[pos] == '\\') {
            if (next < end && is_letter(in_[next])) {
                while (next < end && is_letter(in_[next])) ++next;
            } else if (next < end) {
                next += sequence_length(in_, next);
            }
        } else {
            next = pos + sequence_length(in_, pos);
        }
        next = std::min(next, end);
        return {pos, next, next};
    }

    /// An optional [argument] at `pos`, skipped; returns the offset after it (or `pos`).
    std::size_t skip_optional(std::size_t pos, std::size_t end) {
        std::size_t at = pos;
        while (at < end && is_space(in_[at])) ++at;
        if (at >= end || in_[at] != '[') return pos;
        const std::size_t close = in_.find(']', at);
        return close == npos || close >= end ? pos : close + 1;
    }

    void convert_argument(const Argument& arg, std::string& out, int depth, bool math) {
        if (depth >= max_depth) {
            out.append(in_, arg.begin, arg.end - arg.begin);
            return;
        }
        convert(arg.begin, arg.end, out, depth + 1, math);
    }

    std::string converted(const Argument& arg, int depth, bool math) {
        std::string text;
        convert_argument(arg, text, depth, math);
        return text;
    }

    /// A control sequence starts at `pos` (the backslash). Appends its text; returns the offset after it.
    std::size_t command(std::size_t pos, std::size_t end, std::string& out, int depth, bool& math) {
        const std::size_t after = pos + 1;
        if (after >= end) {
            if (!whole_) out += '\\';   // not markup: a trailing backslash stays in plain text
            return end;
        }
        const char c = in_[after];
        if (is_letter(c)) {
            std::size_t name_end = after;
            while (name_end < end && is_letter(in_[name_end])) ++name_end;
            const std::string_view name = in_.substr(after, name_end - after);
            const auto& table = commands();
            const auto found = table.find(name);
            if (found == table.end()) return unknown(pos, name_end, end, out, depth, math);
            std::size_t next = name_end;
            if (skips_spaces(found->second, name, name_end, end, math))
                while (next < end && is_space(in_[next])) ++next;
            return known(found->second, next, end, out, depth, math);
        }
        if (is_symbol_accent(c)) return accent(after + 1, end, c, out, depth, math);
        switch (c) {
            case '&': case '%': case '$': case '#': case '_': case '{': case '}':
                out += c;
                return after + 1;
            case ' ': case '\t': case '\n': case '\r': case ',': case ';': case ':': case '\\':
                out += ' ';   // control space, thin and medium spaces, line break
                return after + 1;
            case '(': case '[':
                math = true;
                return after + 1;
            case ')': case ']':
                math = false;
                return after + 1;
            case '|':
                out += "‖";
                return after + 1;
            case '!': case '-': case '/': case '@':
                return after + 1;   // negative space, hyphenation point, italic correction: nothing
            default:
                if (whole_) {
                    // Other control symbols print nothing; a non-ASCII character stays.
                    return static_cast<unsigned char>(c) >= 0x80 ? after : after + 1;
                }
                out += '\\';   // not a command we know: as written
                return after;
        }
    }

    /// Whether the spaces after a known control word go, as TeX drops them (`Stra\ss e` is
    /// Straße). In math they only space the output, and in readable text they stay after a
    /// symbol (`\alpha and`, `\LaTeX is`), whose authors wrote for readers rather than for TeX:
    /// only a special letter inside a word (`Bj\o rn`) takes the next letters.
    bool skips_spaces(const Command& cmd, std::string_view name, std::size_t name_end, std::size_t end, bool math) const {
        if (math) return false;
        if (whole_ || cmd.kind != Kind::symbol) return true;
        if (!is_special_letter(name)) return false;
        std::size_t next = name_end;
        while (next < end && is_space(in_[next])) ++next;
        return next < end && is_letter(in_[next]);
    }

    /// An unknown control word: it vanishes from a BibTeX value (its {argument} stays as text);
    /// in readable text it stays as written, braced arguments with their braces.
    std::size_t unknown(std::size_t pos, std::size_t name_end, std::size_t end, std::string& out, int depth, bool math) {
        if (whole_) {
            std::size_t next = name_end;
            while (next < end && is_space(in_[next])) ++next;
            return next;
        }
        out.append(in_, pos, name_end - pos);
        std::size_t at = name_end;
        while (at < end && in_[at] == '{') {
            const std::size_t close = closing_brace(at);
            if (close == npos || close >= end) break;
            out += '{';
            convert_argument({at + 1, close, close + 1}, out, depth, math);
            out += '}';
            at = close + 1;
        }
        return at;
    }

    std::size_t known(const Command& cmd, std::size_t next, std::size_t end, std::string& out, int depth, bool math) {
        switch (cmd.kind) {
            case Kind::symbol:
                out += cmd.text;
                return next;
            case Kind::accent:
                return accent(next, end, cmd.accent, out, depth, math);
            case Kind::vanish:
                // \left. and \right. are invisible delimiters.
                if (next < end && in_[next] == '.') ++next;
                return next;
            case Kind::space:
                out += ' ';
                return next;
            case Kind::wrapper: {
                const Argument arg = argument(next, end);
                convert_argument(arg, out, depth, math);
                return arg.next;
            }
            case Kind::drop_argument:
                return argument(skip_optional(next, end), end).next;
            case Kind::space_argument:
                out += ' ';
                return argument(next, end).next;
            case Kind::environment: {
                out += ' ';
                const Argument arg = argument(next, end);
                const std::string_view name = in_.substr(arg.begin, arg.end - arg.begin);
                // An array's or table's column letters are layout, not text.
                if (name == "array" || name == "tabular" || name == "tabular*" || name == "tabularx")
                    return argument(arg.next, end).next;
                return arg.next;
            }
            case Kind::cite: {
                next = skip_optional(skip_optional(next, end), end);
                const Argument arg = argument(next, end);
                std::string keys = converted(arg, depth, math);
                out += '[';
                bool first = true;
                for (std::size_t at = 0; at <= keys.size();) {
                    std::size_t comma = keys.find(',', at);
                    if (comma == npos) comma = keys.size();
                    std::string_view key = std::string_view(keys).substr(at, comma - at);
                    while (!key.empty() && is_space(key.front())) key.remove_prefix(1);
                    while (!key.empty() && is_space(key.back())) key.remove_suffix(1);
                    if (!key.empty()) {
                        if (!first) out += ", ";
                        out += key;
                        first = false;
                    }
                    at = comma + 1;
                }
                out += ']';
                return arg.next;
            }
            case Kind::ref:
            case Kind::eqref: {
                const Argument arg = argument(next, end);
                if (cmd.kind == Kind::eqref) out += '(';
                convert_argument(arg, out, depth, math);
                if (cmd.kind == Kind::eqref) out += ')';
                return arg.next;
            }
            case Kind::fraction: {
                const Argument numerator = argument(next, end);
                const Argument denominator = argument(numerator.next, end);
                append_operand(out, converted(numerator, depth, math));
                out += '/';
                append_operand(out, converted(denominator, depth, math));
                return denominator.next;
            }
            case Kind::root: {
                const Argument arg = argument(skip_optional(next, end), end);
                out += "√";
                append_operand(out, converted(arg, depth, math));
                return arg.next;
            }
            case Kind::url: {
                if (next >= end || in_[next] != '{') return next;
                const std::size_t close = closing_brace(next);
                if (close == npos || close >= end) return next;
                out += latex_verbatim(in_.substr(next + 1, close - next - 1));
                return close + 1;
            }
            case Kind::href: {
                const Argument target = argument(next, end);
                const Argument shown = argument(target.next, end);
                convert_argument(shown, out, depth, math);
                return shown.next;
            }
            case Kind::color: {
                const Argument colour = argument(skip_optional(next, end), end);
                const Argument shown = argument(colour.next, end);
                convert_argument(shown, out, depth, math);
                return shown.next;
            }
            case Kind::double_struck: {
                const Argument arg = argument(next, end);
                const std::string letters = converted(arg, depth, math);
                if (!append_double_struck(out, letters)) out += letters;
                return arg.next;
            }
            case Kind::negation: {
                const Argument arg = argument(next, end);
                append_negated(out, converted(arg, depth, math));
                return arg.next;
            }
            case Kind::item:
                out += "• ";
                return skip_optional(next, end);
        }
        return next;
    }

    /// An accent on the argument at `pos`. Appends the accented text; returns the offset after it.
    std::size_t accent(std::size_t pos, std::size_t end, char accent_char, std::string& out, int depth, bool math) {
        const Argument arg = argument(pos, end);
        std::string text = converted(arg, depth, math);
        if (text.empty()) {
            // \~{} and \^{} are how BibTeX files write a plain tilde or caret.
            if (accent_char == '~' || accent_char == '^') out += accent_char;
            return arg.next;
        }
        if (accent_char == 't') {
            out += text;
            return arg.next;
        }
        std::size_t length = 0;
        char32_t base = code_point(text, 0, length);
        if (base == 0xFFFD && length == 1) {
            out += text;   // an invalid byte takes no accent
            return arg.next;
        }
        if (base == 0x0131) base = 'i';   // \'{\i}: the dotless i takes the accent
        if (base == 0x0237) base = 'j';
        const Composition key{accent_char, base, 0};
        const auto less = [](const Composition& a, const Composition& b) {
            const auto accent_a = static_cast<unsigned char>(a.accent), accent_b = static_cast<unsigned char>(b.accent);
            return accent_a != accent_b ? accent_a < accent_b : a.base < b.base;
        };
        const auto* found = std::lower_bound(std::begin(compositions), std::end(compositions), key, less);
        if (found != std::end(compositions) && found->accent == accent_char && found->base == base) {
            append_utf8(out, found->composed);
        } else {
            append_utf8(out, base);
            append_utf8(out, combining_mark(accent_char));
        }
        out.append(text, length, std::string::npos);
        return arg.next;
    }

    std::string_view in_;
    const bool whole_;
    std::vector<MathDelimiter> delimiters_;
    std::vector<std::pair<std::size_t, std::size_t>> braces_;   // (open, close), sorted
    bool braces_ready_ = false;
};

/// Whether the control sequence at `pos` (a backslash) is one the converter knows.
bool known_command_at(std::string_view text, std::size_t pos) {
    const std::size_t after = pos + 1;
    if (after >= text.size()) return false;
    const char c = text[after];
    if (is_letter(c)) {
        std::size_t end = after;
        while (end < text.size() && is_letter(text[end])) ++end;
        if (!commands().count(text.substr(after, end - after))) return false;
        // One-letter commands (\b, \t, \r, \o ...) are also what a stray backslash before a
        // word looks like ("C:\b", an escaped "\r"); they count when written as LaTeX writes
        // them: before a brace, a space or another command.
        return end - after > 1 || (end < text.size() && text[end] != '\0' && std::strchr("{} \\", text[end]));
    }
    if (is_symbol_accent(c)) {
        const std::size_t next = after + 1;
        return next < text.size() && (is_letter(text[next]) || text[next] == '{' || text[next] == '\\');
    }
    return c != '\0' && std::strchr("&%$#_{},;:!|()[]\\ ", c) != nullptr;
}

}  // namespace

std::string latex_to_unicode(std::string_view latex) {
    std::string out;
    Converter(latex, true).run(out);
    return out;
}

std::string latex_verbatim(std::string_view latex) {
    std::string out;
    out.reserve(latex.size());
    for (std::size_t i = 0; i < latex.size(); ++i) {
        const char c = latex[i];
        if (c == '{' || c == '}') continue;
        if (c == '\\' && i + 1 < latex.size() && latex[i + 1] != '\0' && std::strchr("_%&#${}~", latex[i + 1])) {
            out += latex[++i];
            continue;
        }
        out += c;
    }
    return out;
}

bool has_latex(std::string_view text) {
    for (std::size_t at = text.find('\\'); at != npos; at = text.find('\\', at + 2))
        if (known_command_at(text, at)) return true;
    return !math_delimiters(text).empty();
}

std::string_view readable(std::string_view text, std::string& buffer) {
    if (!has_latex(text)) return text;
    buffer.clear();
    Converter(text, false).run(buffer);
    return buffer;
}

std::string readable(std::string_view text) {
    std::string buffer;
    const std::string_view out = readable(text, buffer);
    return out.data() == buffer.data() ? std::move(buffer) : std::string(out);
}

}  // namespace scholarsearch::text
