// libFuzzer target: see fuzz_entries.hpp (analyzer_entry) and scripts/fuzz.sh.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    scholarsearch::fuzz::analyzer_entry(scholarsearch::fuzz::as_text(data, size));
    return 0;
}
