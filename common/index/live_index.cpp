#include "index/live_index.hpp"

#include "record/error.hpp"
#include "schema/schema.hpp"
#include "store/builds.hpp"
#include "store/database.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

namespace scholarsearch::index {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view build_seconds_key = "scholarsearch.build_seconds";

unsigned long long directory_bytes(const fs::path& path) {
    unsigned long long total = 0;
    std::error_code error;
    for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error))
        if (it->is_regular_file(error)) total += it->file_size(error);
    return total;
}

// The probe: the first document must be found by one of its own words.
bool probe(const std::string& path) {
    Xapian::Database database(path);
    if (database.get_doccount() == 0) return false;
    const Xapian::docid first = *database.postlist_begin("");
    for (auto term = database.termlist_begin(first); term != database.termlist_end(first); ++term) {
        const std::string word = *term;
        if (word.empty() || (word[0] >= 'A' && word[0] <= 'Z')) continue;   // prefixed terms
        Xapian::Enquire enquire(database);
        enquire.set_query(Xapian::Query(word));
        Xapian::MSet found = enquire.get_mset(0, database.get_doccount());
        for (auto it = found.begin(); it != found.end(); ++it)
            if (*it == first) return true;
        return false;
    }
    return true;   // a document without words (an empty record) cannot be probed by words
}

}  // namespace

LiveIndex::LiveIndex(std::string root) : root_(std::move(root)) {
    std::error_code error;
    fs::create_directories(store::builds_path(root_), error);
    if (error) throw IndexUnavailable("cannot create " + root_ + ": " + error.message());
    lock_.emplace(store::root_lock_path(root_), "index root " + root_);
}

LiveIndex::~LiveIndex() = default;

std::optional<std::string> LiveIndex::current_build() const { return store::live_build(root_); }

std::vector<std::string> LiveIndex::prune(std::size_t keep) {
    const auto live = current_build();
    const std::vector<std::string> builds = store::list_builds(root_);   // oldest first
    std::vector<std::string> removed;
    std::size_t kept = 0;
    for (auto it = builds.rbegin(); it != builds.rend(); ++it) {
        bool keep_it;
        if (live && *it == *live) keep_it = true;
        else if (live && *it > *live) keep_it = false;   // a leftover of a run that never swapped
        else keep_it = kept < keep;
        if (keep_it) {
            ++kept;
            continue;
        }
        std::error_code error;
        fs::remove_all(store::build_path(root_, *it), error);
        if (!error) removed.push_back(*it);
    }
    return removed;
}

RebuildReport LiveIndex::rebuild(const std::vector<std::string>& paths, const RebuildOptions& options,
                                 const DiagnosticFn& on_diagnostic, const ProgressFn& on_progress) {
    const auto started = std::chrono::steady_clock::now();
    RebuildReport report;
    report.build = store::next_build_name(root_);
    const std::string build_path = store::build_path(root_, report.build);
    report.previous_documents = live_documents();
    try {
        IndexWriter writer(build_path);
        report.stats = writer.add_inputs(paths, options.index, on_diagnostic, on_progress);
        report.documents = writer.document_count();
        writer.set_metadata(std::string(build_seconds_key),
                            std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()));
        writer.commit();
    } catch (...) {
        // A build that failed (a full disk, above all) is never served: remove it, so that the
        // space it took is free again for the live build's updates.
        std::error_code ignored;
        fs::remove_all(build_path, ignored);
        throw;
    }

    if (report.documents > report.stats.records_indexed)
        report.refusal = "the new build has more documents than records were indexed";
    else report.refusal = refusal_of(build_path, report.documents, report.previous_documents, options.max_loss);
    if (!report.refusal.empty() && !options.force) {
        std::error_code ignored;
        fs::remove_all(build_path, ignored);
        return report;
    }
    store::publish_build(root_, report.build);
    report.swapped = true;
    report.removed_builds = prune(options.keep_builds);
    return report;
}

std::optional<std::size_t> LiveIndex::live_documents() const {
    const auto live = current_build();
    if (!live) return std::nullopt;
    try {
        return Xapian::Database(store::build_path(root_, *live)).get_doccount();
    } catch (const Xapian::Error&) {
        return std::nullopt;  // the live build is unreadable: nothing to compare against
    }
}

// The checks every build passes before it is served, whether built here or shipped: "" or why not.
std::string LiveIndex::refusal_of(const std::string& build_path, std::size_t documents,
                                  std::optional<std::size_t> previous_documents, double max_loss) {
    if (documents == 0) return "the new build has no records";
    if (!probe(build_path)) return "the probe query did not find its document";
    if (previous_documents && *previous_documents > 0 &&
        double(documents) < (1.0 - max_loss) * double(*previous_documents)) {
        std::ostringstream why;
        why << "the new build has " << documents << " records, the live one " << *previous_documents << ": more than "
            << max_loss * 100 << "% lost (use --force to swap anyway)";
        return why.str();
    }
    return {};
}

RebuildReport LiveIndex::adopt(const std::string& source, const RebuildOptions& options) {
    RebuildReport report;
    report.previous_documents = live_documents();
    // Another analyzer's or schema's build is refused outright (IndexUnavailable): --force cannot
    // make its terms match this program's queries.
    report.documents = store::open_readable(source).get_doccount();
    report.refusal = refusal_of(source, report.documents, report.previous_documents, options.max_loss);
    if (!report.refusal.empty() && !options.force) return report;  // the shipped copy stays for a look
    report.build = store::next_build_name(root_);
    const fs::path build_path = store::build_path(root_, report.build);
    std::error_code error;
    fs::rename(source, build_path, error);  // ROOT/incoming, where ship-build.sh puts it: same file system
    if (error) {
        // Elsewhere: copied beside the builds first, so that builds/ never holds half a copy.
        const fs::path partial = fs::path(root_) / (report.build + ".partial");
        fs::remove_all(partial);
        fs::copy(source, partial, fs::copy_options::recursive);
        fs::rename(partial, build_path);
    }
    store::publish_build(root_, report.build);
    report.swapped = true;
    report.removed_builds = prune(options.keep_builds);
    return report;
}

UpdateReport LiveIndex::update(const std::vector<std::string>& paths, const IndexOptions& options, bool delete_missing,
                               double max_loss, bool force, const DiagnosticFn& on_diagnostic,
                               const ProgressFn& on_progress) {
    UpdateReport report;
    auto live = current_build();
    if (!live) {
        // First run on an empty root: an in-place update of a new build, then point the stub at it.
        live = store::next_build_name(root_);
        IndexWriter(store::build_path(root_, *live)).commit();
        store::publish_build(root_, *live);
    }
    IndexWriter writer(store::build_path(root_, *live));
    std::unordered_set<std::string> seen;
    IndexOptions with_ids = options;
    if (delete_missing) with_ids.seen_id_terms = &seen;
    report.stats = writer.add_inputs(paths, with_ids, on_diagnostic, on_progress);
    if (delete_missing) {
        // A rejected record's id is unknown: deleting "missing" records could delete it.
        const std::vector<std::string> missing = writer.ids_not_in(seen);
        const std::size_t before = writer.document_count();
        if (report.stats.records_rejected || report.stats.files_rejected) {
            report.delete_skipped = true;
            report.delete_skipped_reason = "some input was rejected, so its records' ids are unknown";
        } else if (!force && before > 0 && double(missing.size()) > max_loss * double(before)) {
            report.delete_skipped = true;
            report.delete_skipped_reason = std::to_string(missing.size()) + " of " + std::to_string(before) +
                                           " records are missing from the input (use --force to delete them)";
        } else {
            writer.remove_id_terms(missing);
            report.deleted = missing.size();
        }
    }
    writer.commit();
    report.documents = writer.document_count();
    return report;
}

LiveStats read_live_stats(const std::string& root_) {
    LiveStats stats;
    stats.root = root_;
    const auto live = store::live_build(root_);
    if (!live) throw IndexUnavailable("no live index under " + root_ + " (run scholarsearch-index rebuild)");
    stats.build = *live;
    const fs::path build_path = store::build_path(root_, *live);
    Xapian::Database database(build_path.string());
    stats.documents = database.get_doccount();
    stats.total_length = database.get_total_length();
    for (auto it = database.allterms_begin(); it != database.allterms_end(); ++it) ++stats.distinct_terms;
    stats.bytes_on_disk = directory_bytes(build_path);
    stats.built_at = database.get_metadata(std::string(schema::built_at_metadata_key));
    stats.build_seconds = database.get_metadata(std::string(build_seconds_key));
    stats.analyzer_version = database.get_metadata(std::string(schema::analyzer_metadata_key));
    stats.last_swap = store::last_swap_time(root_);
    return stats;
}

}  // namespace scholarsearch::index
