// scholarsearch-index: builds and maintains a scholarsearch index; `parse` shows what the
// parsers read. Exit status: 0 clean, 1 some records or files rejected, 2 could not run.
#include "index/index_commands.hpp"
#include "record/error.hpp"

#include <CLI/CLI.hpp>
#include <xapian.h>

#include <cstdlib>
#include <iostream>

using namespace scholarsearch;
using namespace scholarsearch::index;

int main(int argc, char** argv) try {
    CLI::App app{"scholarsearch-index: build and maintain a scholarsearch index.\n"
                 "Exit status: 0 clean, 1 some records or files were rejected (see stderr), 2 could not run,\n"
                 "3 rebuild or adopt refused to swap (a safety check failed; the live index is unchanged)."};
    app.set_version_flag("--version", "scholarsearch-index 0.1.0");
    app.require_subcommand(0, 1);

    std::string db;
    std::vector<std::string> inputs;
    std::vector<std::string> deletions;
    IndexOptions options;
    bool quiet = false;
    app.add_option("--db", db, "Index directory (created if missing)");
    app.add_option("paths", inputs, "Record files or directories (recursive); - reads stdin");
    app.add_option("--delete", deletions, "Delete the record with this id (repeatable)");
    auto add_index_options = [&](CLI::App* command) {
        command->add_option("--batch-size", options.batch_size, "Documents per commit")->capture_default_str()->check(CLI::PositiveNumber);
        command->add_option("--threads", options.threads, "Parse/analysis threads (0 = one per core)")->capture_default_str();
        command->add_flag("-q,--quiet", quiet, "No progress bar and no summary line");
        command->add_flag("--abstract-positions,!--no-abstract-positions", options.abstract_positions,
                          "New index: abstract words with positions (the default). --no-abstract-positions makes the index "
                          "about a third smaller; a phrase in an abstract is then checked on the stored text of the records "
                          "that can reach the page, which makes such phrases several times slower (docs/DECISIONS.md)");
    };
    add_index_options(&app);
    // Not an option: an index without the graph serves its endpoints wrong. For measuring its cost only.
    if (const char* without = std::getenv("SCHOLARSEARCH_BENCH_WITHOUT_GRAPH"); without && std::string(without) == "1")
        options.citation_graph = false;

    std::vector<std::string> parse_files;
    CLI::App* parse_command = app.add_subcommand(
        "parse", "Print what the parser reads: one JSON object per file (the *.expected.json schema)");
    parse_command->add_option("files", parse_files, "Record files")->required();

    std::string root;
    RebuildOptions rebuild_options;
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

    CLI::App* live_build_command = app.add_subcommand("live-build", "Print the name of the build ROOT/XAPIANDB serves");
    live_build_command->add_option("--root", root, "Live index root")->required();

    std::string spelling_target;
    CLI::App* spelling_command = app.add_subcommand(
        "spelling-db", "Copy the spelling dictionary into a database of its own (for a server over remote shards)");
    spelling_command->add_option("--db", db, "Index directory, stub of local shards or live root")->required();
    spelling_command->add_option("target", spelling_target, "Database directory to write (replaced)")->required();

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
    if (*live_build_command) return run_live_build(root);
    if (*spelling_command) return run_spelling_db(db, spelling_target);
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
