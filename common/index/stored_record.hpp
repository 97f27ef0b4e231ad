#pragma once
/**
 * The document data: a record as compact JSON (record::to_stored_json), compressed with zstd and
 * a dictionary trained on the first records of the build, stored in the database's metadata
 * (data_dictionary_metadata_key). Records are short (a kilobyte or two), too short for a
 * compressor to learn their keys and common words from one record alone: Xapian's own zlib pass
 * halves them, the dictionary takes them to about a third of their size.
 *
 * The first byte says which form a value has: '{' plain JSON (no dictionary yet: a small index,
 * or one updated in place since before this format), compressed_tag a zstd frame made with the
 * database's dictionary. Decoding happens only for the records a search returns or checks.
 */
#include "record/record.hpp"

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::index {

inline constexpr std::string_view data_dictionary_metadata_key = "scholarsearch.data_dictionary";

/// Not thread-safe (one compression context each); copies share the dictionary.
class StoredRecordCodec {
public:
    /// Plain JSON, no dictionary.
    StoredRecordCodec();
    /// Compresses with `dictionary` (empty: plain JSON).
    explicit StoredRecordCodec(const std::string& dictionary);
    /// The codec for the records of `database` (its dictionary metadata; plain when it has none).
    static StoredRecordCodec for_database(const Xapian::Database& database);
    /// A dictionary from sample document data; empty when the samples are too few to train one.
    static std::string train(const std::vector<std::string>& samples);

    StoredRecordCodec(const StoredRecordCodec& other);
    StoredRecordCodec& operator=(const StoredRecordCodec& other);
    ~StoredRecordCodec();

    /// The document data for `record` (the record as stored, see DocumentBuilder).
    std::string encode(const record::Record& record);
    /// Compresses document data written as plain JSON (stays plain without a dictionary).
    std::string compress(std::string_view json);
    /// Throws std::runtime_error when the data was compressed with another dictionary.
    record::Record decode(std::string_view data);

    const std::string& dictionary() const;

private:
    friend record::Record read_stored_record(const Xapian::Database& database, std::string_view data);
    friend void remember_data_dictionaries(const std::vector<Xapian::Database>& parts);
    struct Shared;
    struct DictionariesById;
    // Makes `database`'s dictionary known to read_stored_record by its id.
    static std::shared_ptr<const Shared> remember(const Xapian::Database& database);
    struct Contexts;
    // A search opens the codec of its database often (each phrase check in an abstract, each
    // reopen): the digested dictionaries are kept, one per dictionary seen.
    static std::shared_ptr<const Shared> shared_for(const std::string& dictionary);
    std::shared_ptr<const Shared> shared_;
    std::unique_ptr<Contexts> contexts_;
};

/**
 * The record in document data of `database`, for any thread: the dictionary is found by the id
 * its zstd frame names (read from the database's metadata the first time). Throws
 * std::runtime_error for damaged data or a dictionary the database does not have.
 */
record::Record read_stored_record(const Xapian::Database& database, std::string_view data);

/// Tells read_stored_record the dictionaries of every part of a database searched as one (shards
/// built apart have dictionaries of their own; Xapian shows only the first part's metadata).
void remember_data_dictionaries(const std::vector<Xapian::Database>& parts);

}  // namespace scholarsearch::index
