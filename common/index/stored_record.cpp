#include "index/stored_record.hpp"

#include "record/record_json.hpp"

#include <zdict.h>
#include <zstd.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace scholarsearch::index {

namespace {

constexpr char compressed_tag = '\x01';
// Measured on the real corpus (docs/FORMATS.md): level 3 with the dictionary stores a record in
// a third of its JSON, level 6 in 5% less at about twice the cost (seconds in a 367k build).
constexpr int compression_level = 6;
constexpr std::size_t dictionary_bytes = 256 << 10;
constexpr std::size_t min_training_samples = 1000;
// A long-running server sees a new dictionary at every rebuild it follows.
constexpr std::size_t max_dictionaries_kept = 8;

}  // namespace

struct StoredRecordCodec::Shared {
    std::string dictionary;
    ZSTD_CDict* compress = nullptr;
    ZSTD_DDict* decompress = nullptr;
    ~Shared() {
        ZSTD_freeCDict(compress);
        ZSTD_freeDDict(decompress);
    }
};

struct StoredRecordCodec::Contexts {
    ZSTD_CCtx* compress = ZSTD_createCCtx();
    ZSTD_DCtx* decompress = ZSTD_createDCtx();
    Contexts() = default;
    Contexts(const Contexts&) = delete;
    Contexts& operator=(const Contexts&) = delete;
    ~Contexts() {
        ZSTD_freeCCtx(compress);
        ZSTD_freeDCtx(decompress);
    }
};

StoredRecordCodec::StoredRecordCodec() : StoredRecordCodec(std::string()) {}

StoredRecordCodec::StoredRecordCodec(const std::string& dictionary)
    : shared_(shared_for(dictionary)), contexts_(std::make_unique<Contexts>()) {}

StoredRecordCodec::StoredRecordCodec(const StoredRecordCodec& other)
    : shared_(other.shared_), contexts_(std::make_unique<Contexts>()) {}

StoredRecordCodec& StoredRecordCodec::operator=(const StoredRecordCodec& other) {
    shared_ = other.shared_;
    return *this;
}

StoredRecordCodec::~StoredRecordCodec() = default;

StoredRecordCodec StoredRecordCodec::for_database(const Xapian::Database& database) {
    return StoredRecordCodec(database.get_metadata(std::string(data_dictionary_metadata_key)));
}

std::string StoredRecordCodec::train(const std::vector<std::string>& samples) {
    if (samples.size() < min_training_samples) return {};
    std::string joined;
    std::vector<std::size_t> sizes;
    for (const auto& sample : samples) {
        joined += sample;
        sizes.push_back(sample.size());
    }
    std::string dictionary(dictionary_bytes, '\0');
    const std::size_t size = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), joined.data(), sizes.data(),
                                                   static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(size)) return {};
    dictionary.resize(size);
    return dictionary;
}

const std::string& StoredRecordCodec::dictionary() const { return shared_->dictionary; }

std::string StoredRecordCodec::encode(const record::Record& record) { return compress(record::to_stored_json(record)); }

std::string StoredRecordCodec::compress(std::string_view json) {
    if (!shared_->compress) return std::string(json);
    std::string out(1 + ZSTD_compressBound(json.size()), '\0');
    out[0] = compressed_tag;
    const std::size_t size =
        ZSTD_compress_usingCDict(contexts_->compress, out.data() + 1, out.size() - 1, json.data(), json.size(), shared_->compress);
    if (ZSTD_isError(size)) throw std::runtime_error(std::string("cannot compress a record: ") + ZSTD_getErrorName(size));
    out.resize(1 + size);
    return out;
}

namespace {

record::Record decompress_record(ZSTD_DCtx* context, const ZSTD_DDict* dictionary, std::string_view data) {
    if (!dictionary) throw std::runtime_error("a stored record is compressed but the index has no data dictionary");
    const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20))
        throw std::runtime_error("a stored record is damaged (bad zstd frame)");
    std::string json(static_cast<std::size_t>(size), '\0');
    const std::size_t got = ZSTD_decompress_usingDDict(context, json.data(), json.size(), data.data(), data.size(), dictionary);
    if (ZSTD_isError(got))
        throw std::runtime_error(std::string("a stored record cannot be decompressed: ") + ZSTD_getErrorName(got));
    json.resize(got);
    return record::from_stored_json(json);
}

}  // namespace

record::Record StoredRecordCodec::decode(std::string_view data) {
    if (data.empty() || data.front() != compressed_tag) return record::from_stored_json(data);
    data.remove_prefix(1);
    return decompress_record(contexts_->decompress, shared_->decompress, data);
}

// The dictionaries seen, by the id their zstd frames name.
struct StoredRecordCodec::DictionariesById {
    std::mutex mutex;
    std::map<unsigned, std::shared_ptr<const StoredRecordCodec::Shared>> by_id;

    static DictionariesById& instance() {
        static DictionariesById dictionaries;
        return dictionaries;
    }
};

std::shared_ptr<const StoredRecordCodec::Shared> StoredRecordCodec::remember(const Xapian::Database& database) {
    auto shared = shared_for(database.get_metadata(std::string(data_dictionary_metadata_key)));
    if (!shared->decompress) return shared;
    auto& dictionaries = DictionariesById::instance();
    std::lock_guard lock(dictionaries.mutex);
    if (dictionaries.by_id.size() >= max_dictionaries_kept) dictionaries.by_id.clear();   // indexes rebuilt many times over
    dictionaries.by_id[ZSTD_getDictID_fromDDict(shared->decompress)] = shared;
    return shared;
}

void remember_data_dictionaries(const std::vector<Xapian::Database>& parts) {
    for (const auto& part : parts) (void)StoredRecordCodec::remember(part);
}

record::Record read_stored_record(const Xapian::Database& database, std::string_view data) {
    if (data.empty() || data.front() != compressed_tag) return record::from_stored_json(data);
    data.remove_prefix(1);
    struct Context {
        ZSTD_DCtx* context = ZSTD_createDCtx();
        ~Context() { ZSTD_freeDCtx(context); }
    };
    thread_local Context context;
    auto& dictionaries = StoredRecordCodec::DictionariesById::instance();
    const unsigned id = ZSTD_getDictID_fromFrame(data.data(), data.size());
    std::shared_ptr<const StoredRecordCodec::Shared> shared;
    {
        std::lock_guard lock(dictionaries.mutex);
        const auto found = dictionaries.by_id.find(id);
        if (found != dictionaries.by_id.end()) shared = found->second;
    }
    if (!shared) {
        // Of a database with several parts, Xapian reads the metadata of the first; the others'
        // dictionaries are known only if remember_data_dictionaries was told of them.
        shared = StoredRecordCodec::remember(database);
        if (!shared->decompress || ZSTD_getDictID_fromDDict(shared->decompress) != id)
            throw std::runtime_error("a stored record was compressed with a data dictionary this index does not have");
    }
    return decompress_record(context.context, shared->decompress, data);
}

std::shared_ptr<const StoredRecordCodec::Shared> StoredRecordCodec::shared_for(const std::string& dictionary) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const StoredRecordCodec::Shared>> digested;
    std::lock_guard lock(mutex);
    if (digested.size() >= max_dictionaries_kept && !digested.count(dictionary)) digested.clear();
    auto& slot = digested[dictionary];
    if (!slot) {
        auto shared = std::make_shared<StoredRecordCodec::Shared>();
        shared->dictionary = dictionary;
        if (!dictionary.empty()) {
            shared->compress = ZSTD_createCDict(dictionary.data(), dictionary.size(), compression_level);
            shared->decompress = ZSTD_createDDict(dictionary.data(), dictionary.size());
            if (!shared->compress || !shared->decompress) throw std::runtime_error("the index's data dictionary is damaged");
        }
        slot = std::move(shared);
    }
    return slot;
}

}  // namespace scholarsearch::index
