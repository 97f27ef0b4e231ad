#pragma once
// The current UTC time in a strftime format: the store's stamps (built at, last swap, build names).
#include <ctime>
#include <string>

namespace scholarsearch::store {

inline std::string utc_now(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    ::gmtime_r(&now, &parts);
    char text[40];
    std::strftime(text, sizeof text, format, &parts);
    return text;
}

inline constexpr const char* iso8601_utc = "%Y-%m-%dT%H:%M:%SZ";

}  // namespace scholarsearch::store
