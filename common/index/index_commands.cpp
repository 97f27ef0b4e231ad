#include "index/index_commands.hpp"

#include "index/index_writer.hpp"
#include "index/live_index.hpp"
#include "parse/input.hpp"
#include "parse/parse_json.hpp"
#include "record/error.hpp"
#include "store/builds.hpp"
#include "store/database.hpp"
#include "store/utc_time.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace scholarsearch::index {

namespace {

// One line per event, key=value, values quoted when they hold spaces: easy to grep and to parse.
std::string quoted(const std::string& value) {
    if (value.find_first_of(" \t\"=") == std::string::npos && !value.empty()) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

void log_event(const std::string& event, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string line = "time=" + store::utc_now(store::iso8601_utc) + " event=" + event;
    for (const auto& [key, value] : fields) line += " " + key + "=" + quoted(value);
    std::cerr << line << '\n';
}

std::vector<std::pair<std::string, std::string>> stats_fields(const IndexStats& stats) {
    const double seconds = std::max(stats.seconds, 1e-9);
    char rate[32], mb[32], secs[32];
    std::snprintf(rate, sizeof rate, "%.0f", stats.records_indexed / seconds);
    std::snprintf(mb, sizeof mb, "%.2f", stats.bytes / seconds / 1e6);
    std::snprintf(secs, sizeof secs, "%.2f", stats.seconds);
    return {{"indexed", std::to_string(stats.records_indexed)}, {"rejected", std::to_string(stats.records_rejected)},
            {"files", std::to_string(stats.files)}, {"files_rejected", std::to_string(stats.files_rejected)},
            {"seconds", secs}, {"records_per_s", rate}, {"mb_per_s", mb}};
}

void print_diagnostic(const record::Diagnostic& diagnostic) {
    std::cerr << record::format_diagnostic(diagnostic) << '\n';
}

std::uintmax_t total_input_bytes(const std::vector<std::string>& paths) {
    std::vector<record::Diagnostic> ignored;
    std::uintmax_t total = 0;
    for (const auto& file : parse::expand_inputs(paths, ignored)) {
        std::error_code error;
        if (file != "-") total += std::max<std::uintmax_t>(0, std::filesystem::file_size(file, error));
    }
    return total;
}

class ProgressDisplay {
public:
    ProgressDisplay(bool enabled, std::uintmax_t total_bytes) : enabled_(enabled), total_bytes_(total_bytes) {}

    void update(const IndexStats& stats) {
        if (!enabled_) return;
        const double rate = stats.seconds > 0 ? stats.records_indexed / stats.seconds : 0;
        const double fraction = total_bytes_ ? std::min(1.0, double(stats.bytes) / double(total_bytes_)) : 0;
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width);
        std::fprintf(stderr, "\r[%s%s] %3.0f%%  %zu records  %.0f records/s  %zu errors ",
                     std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), fraction * 100,
                     stats.records_indexed, rate, stats.records_rejected + stats.files_rejected);
        drawn_ = true;
    }
    void finish() {
        if (drawn_) std::fputs("\n", stderr);
        drawn_ = false;
    }
    // Diagnostics must not be drawn over by the bar.
    void interrupt() { finish(); }

private:
    bool enabled_;
    std::uintmax_t total_bytes_;
    bool drawn_ = false;
};

// Runs an indexing job with a progress bar on a terminal; diagnostics are printed as they come,
// never drawn over by the bar.
template <class Job>
auto with_progress(const std::vector<std::string>& inputs, bool quiet, Job&& job) {
    ProgressDisplay progress(!quiet && isatty(STDERR_FILENO), total_input_bytes(inputs));
    auto on_diagnostic = [&](const record::Diagnostic& diagnostic) {
        progress.interrupt();
        print_diagnostic(diagnostic);
    };
    auto on_progress = [&](const IndexStats& current) { progress.update(current); };
    auto result = job(DiagnosticFn(on_diagnostic), ProgressFn(on_progress));
    progress.finish();
    return result;
}

// Logs how a rebuild or an adopt ended (event "<what>_swapped" or "<what>_refused") and gives the exit status.
int report_swap(const std::string& what, const std::string& root, const RebuildReport& report) {
    auto fields = stats_fields(report.stats);
    fields.insert(fields.begin(), {{"root", root}, {"build", report.build}, {"documents", std::to_string(report.documents)},
                                   {"previous_documents", report.previous_documents ? std::to_string(*report.previous_documents) : "none"}});
    if (!report.swapped) {
        fields.emplace_back("reason", report.refusal);
        log_event(what + "_refused", fields);
        return exit_swap_refused;
    }
    if (!report.refusal.empty()) fields.emplace_back("forced_past", report.refusal);
    std::string removed;
    for (const auto& build : report.removed_builds) removed += (removed.empty() ? "" : ",") + build;
    fields.emplace_back("removed_builds", removed.empty() ? "none" : removed);
    log_event(what + "_swapped", fields);
    return (report.stats.records_rejected || report.stats.files_rejected) ? exit_rejected : exit_clean;
}

}  // namespace

int run_parse(const std::vector<std::string>& files) {
    bool any_error = false;
    for (const auto& file : files) {
        parse::ParseResult result = parse::parse_file(file);
        for (const auto& error : result.errors) print_diagnostic(error);
        if (result.file_error) print_diagnostic(*result.file_error);
        any_error = any_error || result.file_error ||
                    std::any_of(result.errors.begin(), result.errors.end(), [](const auto& e) { return !e.warning; });
        std::cout << boost::json::serialize(parse::parse_result_to_json(result)) << '\n';
    }
    return any_error ? exit_rejected : exit_clean;
}

int run_index(const std::string& db, const std::vector<std::string>& inputs, const std::vector<std::string>& deletions,
              const IndexOptions& options, bool quiet) {
    IndexWriter writer(db);
    std::size_t missing_deletions = 0;
    for (const auto& id : deletions) {
        if (!writer.remove(id)) {
            std::cerr << "scholarsearch-index: warning: no record with id \"" << id << "\" to delete\n";
            ++missing_deletions;
        }
    }
    IndexStats stats;
    if (!inputs.empty()) {
        stats = with_progress(inputs, quiet, [&](const auto& on_diagnostic, const auto& on_progress) {
            return writer.add_inputs(inputs, options, on_diagnostic, on_progress);
        });
    } else {
        writer.commit();
    }
    if (!quiet) {
        const double seconds = std::max(stats.seconds, 1e-9);
        std::fprintf(stderr,
                     "scholarsearch-index: indexed=%zu rejected=%zu files=%zu files_rejected=%zu deleted=%zu "
                     "seconds=%.2f records_per_s=%.0f mb_per_s=%.2f documents=%zu db=%s\n",
                     stats.records_indexed, stats.records_rejected, stats.files, stats.files_rejected,
                     deletions.size() - missing_deletions, stats.seconds, stats.records_indexed / seconds,
                     stats.bytes / seconds / 1e6, writer.document_count(), db.c_str());
    }
    return (stats.records_rejected || stats.files_rejected) ? exit_rejected : exit_clean;
}

int run_rebuild(const std::string& root, const std::vector<std::string>& inputs, const RebuildOptions& options,
                bool quiet) {
    LiveIndex live(root);
    log_event("rebuild_start", {{"root", root}, {"inputs", std::to_string(inputs.size())}});
    return report_swap("rebuild", root, with_progress(inputs, quiet, [&](const auto& on_diagnostic, const auto& on_progress) {
        return live.rebuild(inputs, options, on_diagnostic, on_progress);
    }));
}

int run_adopt(const std::string& root, const std::string& build, const RebuildOptions& options) {
    LiveIndex live(root);
    log_event("adopt_start", {{"root", root}, {"source", build}});
    return report_swap("adopt", root, live.adopt(build, options));
}

int run_update(const std::string& root, const std::vector<std::string>& inputs, const IndexOptions& options,
               bool delete_missing, double max_loss, bool force, bool quiet) {
    LiveIndex live(root);
    log_event("update_start", {{"root", root}, {"inputs", std::to_string(inputs.size())}});
    const UpdateReport report = with_progress(inputs, quiet, [&](const auto& on_diagnostic, const auto& on_progress) {
        return live.update(inputs, options, delete_missing, max_loss, force, on_diagnostic, on_progress);
    });
    auto fields = stats_fields(report.stats);
    fields.insert(fields.begin(), {{"root", root}, {"documents", std::to_string(report.documents)},
                                   {"deleted", std::to_string(report.deleted)}});
    if (report.delete_skipped) fields.emplace_back("delete_missing_skipped", report.delete_skipped_reason);
    log_event("update_done", fields);
    return (report.stats.records_rejected || report.stats.files_rejected || report.delete_skipped) ? exit_rejected : exit_clean;
}

int run_spelling_db(const std::string& index, const std::string& target) {
    const std::size_t words = store::write_spelling_database(index, target);
    std::cerr << "scholarsearch-index: spelling database " << target << ": " << words << " words\n";
    return exit_clean;
}

int run_live_build(const std::string& root) {
    const auto live = store::live_build(root);
    if (!live) throw IndexUnavailable("no live build under " + root + " (run scholarsearch-index rebuild --root " + root + ")");
    std::cout << *live << '\n';
    return exit_clean;
}

int run_stats(const std::string& root, bool as_json) {
    // Stats only read: they must work while a rebuild holds the lock, so no LiveIndex here.
    LiveStats stats = read_live_stats(root);
    if (as_json) {
        std::cout << boost::json::serialize(boost::json::object{
                         {"root", stats.root}, {"build", stats.build}, {"records", stats.documents},
                         {"terms", stats.distinct_terms}, {"total_length", stats.total_length},
                         {"bytes_on_disk", stats.bytes_on_disk}, {"built_at", stats.built_at},
                         {"build_seconds", stats.build_seconds}, {"analyzer_version", stats.analyzer_version},
                         {"last_swap", stats.last_swap}})
                  << '\n';
        return exit_clean;
    }
    std::printf("root              %s\nbuild             %s\nrecords           %zu\nterms             %zu\n"
                "total length      %llu\nsize on disk      %.1f MB\nbuilt at          %s\nbuild seconds     %s\n"
                "analyzer version  %s\nlast swap         %s\n",
                stats.root.c_str(), stats.build.c_str(), stats.documents, stats.distinct_terms, stats.total_length,
                stats.bytes_on_disk / 1e6, stats.built_at.c_str(), stats.build_seconds.c_str(),
                stats.analyzer_version.c_str(), stats.last_swap.c_str());
    return exit_clean;
}

}  // namespace scholarsearch::index
