#include "http/query_params.hpp"

#include "text/utf8.hpp"

#include <charconv>

namespace scholarsearch::http {

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size() || hex(text[i + 1]) < 0 || hex(text[i + 2]) < 0)
                throw BadRequest("bad percent-encoding", "'%' must be followed by two hex digits in \"" +
                                                             std::string(text::utf8_prefix(text, 200)) + "\"");
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (!text::is_valid_utf8(out)) throw BadRequest("invalid UTF-8", "parameters must be UTF-8 text");
    if (out.find('\0') != std::string::npos) throw BadRequest("invalid character", "NUL bytes are not allowed");
    return out;
}

Target::Target(std::string_view target) {
    const auto question = target.find('?');
    path_ = percent_decode(target.substr(0, question), false);
    if (question == std::string_view::npos) return;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        std::string name = percent_decode(pair.substr(0, equals), true);
        std::string value = equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1), true);
        params_.emplace(std::move(name), std::move(value));
    }
}

std::optional<std::string> Target::get(const std::string& name) const {
    auto found = params_.find(name);
    if (found == params_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::string> Target::all(const std::string& name) const {
    std::vector<std::string> out;
    auto [begin, end] = params_.equal_range(name);
    for (auto it = begin; it != end; ++it)
        if (!it->second.empty()) out.push_back(it->second);
    return out;
}

long long Target::integer(const std::string& name, long long fallback, long long min, long long max) const {
    auto value = get(name);
    if (!value || value->empty()) return fallback;
    long long number = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (error != std::errc() || end != value->data() + value->size())
        throw BadRequest("bad parameter", name + " must be an integer, got \"" + std::string(text::utf8_prefix(*value, 50)) + "\"");
    if (number < min || number > max)
        throw BadRequest("bad parameter", name + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return number;
}

bool Target::boolean(const std::string& name, bool fallback) const {
    auto value = get(name);
    if (!value) return fallback;
    if (*value == "" || *value == "1" || *value == "true" || *value == "yes" || *value == "on") return true;
    if (*value == "0" || *value == "false" || *value == "no" || *value == "off") return false;
    throw BadRequest("bad parameter", name + " must be true or false");
}

}  // namespace scholarsearch::http
