// scholarsearch-index: builds and maintains a scholarsearch index; `parse` shows what the
// parsers read. Exit status: 0 clean, 1 some records or files rejected, 2 could not run.
#include "index/index_writer.hpp"
#include "parse/input.hpp"
#include "parse/parse_json.hpp"
#include "record/error.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <xapian.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace {

using namespace scholarsearch;

constexpr int exit_clean = 0;
constexpr int exit_rejected = 1;
constexpr int exit_cannot_run = 2;

void print_diagnostic(const record::Diagnostic& diagnostic) {
    std::cerr << record::format_diagnostic(diagnostic) << '\n';
}

int run_parse(const std::vector<std::string>& files) {
    bool any_error = false;
    for (const auto& file : files) {
        parse::ParseResult result = parse::parse_file(file);
        for (const auto& error : result.errors) print_diagnostic(error);
        if (result.file_error) print_diagnostic(*result.file_error);
        any_error = any_error || !result.errors.empty() || result.file_error;
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
    ProgressDisplay progress(!quiet && isatty(STDERR_FILENO), total_input_bytes(inputs));
    if (!inputs.empty()) {
        stats = writer.add_inputs(
            inputs, options,
            [&](const record::Diagnostic& diagnostic) {
                progress.interrupt();
                print_diagnostic(diagnostic);
            },
            [&](const index::IndexStats& current) { progress.update(current); });
        progress.finish();
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

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"scholarsearch-index: build and maintain a scholarsearch index.\n"
                 "Exit status: 0 clean, 1 some records or files were rejected (see stderr), 2 could not run."};
    app.set_version_flag("--version", "scholarsearch-index 0.1.0");

    std::string db;
    std::vector<std::string> inputs;
    std::vector<std::string> deletions;
    index::IndexOptions options;
    bool quiet = false;
    app.add_option("--db", db, "Index directory (created if missing)");
    app.add_option("paths", inputs, "Record files or directories (recursive); - reads stdin");
    app.add_option("--delete", deletions, "Delete the record with this id (repeatable)");
    app.add_option("--batch-size", options.batch_size, "Documents per commit")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--threads", options.threads, "Parse/analysis threads (0 = one per core)")->capture_default_str();
    app.add_flag("-q,--quiet", quiet, "No progress and no summary line");

    std::vector<std::string> parse_files;
    CLI::App* parse_command = app.add_subcommand(
        "parse", "Print what the parser reads: one JSON object per file (the *.expected.json schema)");
    parse_command->add_option("files", parse_files, "Record files")->required();

    CLI11_PARSE(app, argc, argv);

    if (*parse_command) return run_parse(parse_files);
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
}
