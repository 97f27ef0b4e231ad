// scholarsearch-index: builds and maintains a scholarsearch index; `parse` shows what the
// parsers read. Exit status: 0 clean, 1 some records or files rejected, 2 could not run.
#include "index/index_writer.hpp"
#include "index/live_index.hpp"
#include "parse/input.hpp"
#include "parse/parse_json.hpp"
#include "record/error.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <xapian.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>

namespace {

using namespace scholarsearch;

constexpr int exit_clean = 0;
constexpr int exit_rejected = 1;
constexpr int exit_cannot_run = 2;
constexpr int exit_swap_refused = 3;

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
    std::time_t now = std::time(nullptr);
    char time_text[32];
    std::strftime(time_text, sizeof time_text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    std::string line = std::string("time=") + time_text + " event=" + event;
    for (const auto& [key, value] : fields) line += " " + key + "=" + quoted(value);
    std::cerr << line << '\n';
}

std::vector<std::pair<std::string, std::string>> stats_fields(const index::IndexStats& stats) {
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

    void update(const index::IndexStats& stats) {
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
    auto on_progress = [&](const index::IndexStats& current) { progress.update(current); };
    auto result = job(index::DiagnosticFn(on_diagnostic), index::ProgressFn(on_progress));
    progress.finish();
    return result;
}

int run_index(const std::string& db, const std::vector<std::string>& inputs, const std::vector<std::string>& deletions,
              const index::IndexOptions& options, bool quiet) {
    index::IndexWriter writer(db);
    std::size_t missing_deletions = 0;
    for (const auto& id : deletions) {
        if (!writer.remove(id)) {
            std::cerr << "scholarsearch-index: warning: no record with id \"" << id << "\" to delete\n";
            ++missing_deletions;
        }
    }
    index::IndexStats stats;
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

// Logs how a rebuild or an adopt ended (event "<what>_swapped" or "<what>_refused") and gives the exit status.
int report_swap(const std::string& what, const std::string& root, const index::RebuildReport& report) {
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

int run_rebuild(const std::string& root, const std::vector<std::string>& inputs, const index::RebuildOptions& options,
                bool quiet) {
    index::LiveIndex live(root);
    log_event("rebuild_start", {{"root", root}, {"inputs", std::to_string(inputs.size())}});
    return report_swap("rebuild", root, with_progress(inputs, quiet, [&](const auto& on_diagnostic, const auto& on_progress) {
        return live.rebuild(inputs, options, on_diagnostic, on_progress);
    }));
}

int run_adopt(const std::string& root, const std::string& build, const index::RebuildOptions& options) {
    index::LiveIndex live(root);
    log_event("adopt_start", {{"root", root}, {"source", build}});
    return report_swap("adopt", root, live.adopt(build, options));
}

int run_update(const std::string& root, const std::vector<std::string>& inputs, const index::IndexOptions& options,
               bool delete_missing, double max_loss, bool force, bool quiet) {
    index::LiveIndex live(root);
    log_event("update_start", {{"root", root}, {"inputs", std::to_string(inputs.size())}});
    const index::UpdateReport report = with_progress(inputs, quiet, [&](const auto& on_diagnostic, const auto& on_progress) {
        return live.update(inputs, options, delete_missing, max_loss, force, on_diagnostic, on_progress);
    });
    auto fields = stats_fields(report.stats);
    fields.insert(fields.begin(), {{"root", root}, {"documents", std::to_string(report.documents)},
                                   {"deleted", std::to_string(report.deleted)}});
    if (report.delete_skipped) fields.emplace_back("delete_missing_skipped", report.delete_skipped_reason);
    log_event("update_done", fields);
    return (report.stats.records_rejected || report.stats.files_rejected || report.delete_skipped) ? exit_rejected : exit_clean;
}

int run_stats(const std::string& root, bool as_json) {
    // Stats only read: they must work while a rebuild holds the lock, so no LiveIndex here.
    index::LiveStats stats = index::read_live_stats(root);
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

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"scholarsearch-index: build and maintain a scholarsearch index.\n"
                 "Exit status: 0 clean, 1 some records or files were rejected (see stderr), 2 could not run,\n"
                 "3 rebuild or adopt refused to swap (a safety check failed; the live index is unchanged)."};
    app.set_version_flag("--version", "scholarsearch-index 0.1.0");
    app.require_subcommand(0, 1);

    std::string db;
    std::vector<std::string> inputs;
    std::vector<std::string> deletions;
    index::IndexOptions options;
    bool quiet = false;
    app.add_option("--db", db, "Index directory (created if missing)");
    app.add_option("paths", inputs, "Record files or directories (recursive); - reads stdin");
    app.add_option("--delete", deletions, "Delete the record with this id (repeatable)");
    auto add_index_options = [&](CLI::App* command) {
        command->add_option("--batch-size", options.batch_size, "Documents per commit")->capture_default_str()->check(CLI::PositiveNumber);
        command->add_option("--threads", options.threads, "Parse/analysis threads (0 = one per core)")->capture_default_str();
        command->add_flag("-q,--quiet", quiet, "No progress bar and no summary line");
        command->add_flag("!--no-abstract-positions", options.abstract_positions,
                          "New index: abstract words without positions (about a third smaller; a phrase in an abstract "
                          "is then checked on the stored text, one record decode per candidate)");
    };
    add_index_options(&app);

    std::vector<std::string> parse_files;
    CLI::App* parse_command = app.add_subcommand(
        "parse", "Print what the parser reads: one JSON object per file (the *.expected.json schema)");
    parse_command->add_option("files", parse_files, "Record files")->required();

    std::string root;
    index::RebuildOptions rebuild_options;
    CLI::App* rebuild_command = app.add_subcommand(
        "rebuild", "Build a new index under ROOT/builds, check it, and atomically make it the live one");
    auto add_root_and_paths = [&](CLI::App* command) {
        command->add_option("--root", root, "Live index root (serve it with scholarsearch-server --db ROOT)")->required();
        command->add_option("paths", inputs, "Record files or directories")->required();
    };
    add_root_and_paths(rebuild_command);
    auto add_swap_options = [&](CLI::App* command) {
        command->add_option("--keep", rebuild_options.keep_builds, "Builds kept on disk, the live one included")->capture_default_str();
        command->add_option("--max-loss", rebuild_options.max_loss, "Refuse to swap if more than this share of records is lost")
            ->capture_default_str()->check(CLI::Range(0.0, 1.0));
        command->add_flag("--force", rebuild_options.force, "Swap even if the record count or the probe check fails");
    };
    add_swap_options(rebuild_command);
    add_index_options(rebuild_command);

    std::string adopted;
    CLI::App* adopt_command = app.add_subcommand(
        "adopt", "Check a build made elsewhere (copied here, e.g. by scripts/ship-build.sh) and atomically make it the live one");
    adopt_command->add_option("--root", root, "Live index root")->required();
    adopt_command->add_option("build", adopted, "The build's directory (moved under ROOT/builds when it passes)")->required();
    add_swap_options(adopt_command);

    bool delete_missing = false;
    CLI::App* update_command = app.add_subcommand("update", "Add and replace records in the live index in place");
    add_root_and_paths(update_command);
    update_command->add_flag("--delete-missing", delete_missing, "The input is a full snapshot: delete records not in it");
    update_command->add_option("--max-loss", rebuild_options.max_loss, "With --delete-missing: skip deleting if more than this share would go")
        ->capture_default_str()->check(CLI::Range(0.0, 1.0));
    update_command->add_flag("--force", rebuild_options.force, "With --delete-missing: delete however many are missing");
    add_index_options(update_command);

    bool stats_json = false;
    CLI::App* stats_command = app.add_subcommand("stats", "Print records, terms, size, build time, analyzer version, last swap");
    stats_command->add_option("--root", root, "Live index root")->required();
    stats_command->add_flag("--json", stats_json, "As JSON");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version exit 0; every usage error is "could not run".
        return app.exit(error) == 0 ? 0 : 2;
    }

    if (*parse_command) return run_parse(parse_files);
    if (*rebuild_command) {
        rebuild_options.index = options;
        return run_rebuild(root, inputs, rebuild_options, quiet);
    }
    if (*adopt_command) return run_adopt(root, adopted, rebuild_options);
    if (*update_command)
        return run_update(root, inputs, options, delete_missing, rebuild_options.max_loss, rebuild_options.force, quiet);
    if (*stats_command) return run_stats(root, stats_json);
    if (db.empty()) {
        std::cerr << "scholarsearch-index: error: --db DIR is required\n" << app.help();
        return exit_cannot_run;
    }
    if (inputs.empty() && deletions.empty()) {
        std::cerr << "scholarsearch-index: error: nothing to do: give record files or --delete ID\n";
        return exit_cannot_run;
    }
    return run_index(db, inputs, deletions, options, quiet);
} catch (const scholarsearch::Error& error) {
    std::cerr << "scholarsearch-index: error: " << error.what() << '\n';
    return exit_cannot_run;
} catch (const Xapian::Error& error) {
    std::cerr << "scholarsearch-index: error: " << error.get_description() << '\n';
    return exit_cannot_run;
} catch (const std::exception& error) {
    std::cerr << "scholarsearch-index: error: " << error.what() << '\n';
    return exit_cannot_run;
} catch (...) {
    std::cerr << "scholarsearch-index: error: unexpected failure\n";
    return exit_cannot_run;
}
