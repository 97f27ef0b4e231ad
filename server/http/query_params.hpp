#pragma once
/**
 * The request target: path and query parameters, percent-decoded and checked to be UTF-8.
 * Anything malformed throws BadRequest, which the server answers with 400 and a JSON message.
 */
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::http {

struct BadRequest : std::runtime_error {
    BadRequest(const std::string& error, std::string message_detail)
        : std::runtime_error(error), detail(std::move(message_detail)) {}
    std::string detail;
};

/// Decodes %XX and '+' (as space, in query strings). Throws BadRequest on bad escapes or bad UTF-8.
std::string percent_decode(std::string_view text, bool plus_is_space);

class Target {
public:
    /// Parses "/path?a=1&b=2". Throws BadRequest.
    explicit Target(std::string_view target);

    const std::string& path() const { return path_; }
    std::optional<std::string> get(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    bool has(const std::string& name) const { return params_.count(name) > 0; }

    /// Integer parameter in [min, max]; `fallback` when absent. Throws BadRequest.
    long long integer(const std::string& name, long long fallback, long long min, long long max) const;
    /// true/false/1/0/yes/no; `fallback` when absent. Throws BadRequest.
    bool boolean(const std::string& name, bool fallback) const;

private:
    std::string path_;
    std::multimap<std::string, std::string> params_;
};

}  // namespace scholarsearch::http
