// libFuzzer target: see fuzz_entries.hpp (tagged_entry) and scripts/fuzz.sh.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    scholarsearch::fuzz::tagged_entry(scholarsearch::fuzz::as_text(data, size));
    return 0;
}
