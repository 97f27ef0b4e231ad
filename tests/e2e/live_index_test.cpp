// Nightly reindex jobs: rebuild-and-swap under load, in-place updates, and SIGKILL at any moment.
#include "../support/http_client.hpp"
#include "../support/temp_dir.hpp"

#include <xapian.h>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace scholarsearch::testing;

namespace {

std::string records(int first, int count, const std::string& word) {
    std::string out;
    for (int i = first; i < first + count; ++i)
        out += "{\"id\": \"r" + std::to_string(i) + "\", \"title\": \"record " + std::to_string(i) + " about " + word +
               "\", \"abstract\": \"An abstract that mentions " + word + " and number " + std::to_string(i) + ".\"}\n";
    return out;
}

Xapian::doccount documents(const std::string& root) { return Xapian::Database(root).get_doccount(); }

int index(const std::vector<std::string>& args) {
    std::vector<std::string> argv{INDEX_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
}

}  // namespace

TEST_CASE("live index: rebuild swaps, keeps N builds, refuses a large loss unless forced") {
    TempDir dir;
    const std::string root = dir / "live";
    const std::string full = dir.write("full.jsonl", records(0, 100, "alpha"));
    const std::string truncated = dir.write("truncated.jsonl", records(0, 50, "alpha"));
    REQUIRE(index({"rebuild", "-q", "--root", root, full}) == 0);
    CHECK(documents(root) == 100);
    CHECK(index({"rebuild", "-q", "--root", root, truncated}) == 3);
    CHECK(documents(root) == 100);
    CHECK(index({"rebuild", "-q", "--root", root, "--force", truncated}) == 0);
    CHECK(documents(root) == 50);
    REQUIRE(index({"rebuild", "-q", "--root", root, "--max-loss", "0.9", full}) == 0);
    std::size_t builds = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(root + "/builds")) ++builds;
    CHECK(builds == 2);
    CHECK(index({"stats", "--root", root, "--json"}) == 0);
}

TEST_CASE("live index: update replaces in place, and --delete-missing removes records not in the snapshot") {
    TempDir dir;
    const std::string root = dir / "live";
    REQUIRE(index({"update", "-q", "--root", root, dir.write("a.jsonl", records(0, 20, "alpha"))}) == 0);
    CHECK(documents(root) == 20);
    REQUIRE(index({"update", "-q", "--root", root, dir.write("b.jsonl", records(10, 20, "beta"))}) == 0);
    CHECK(documents(root) == 30);
    // A snapshot missing a third of the records: refused as a probable truncated export...
    CHECK(index({"update", "-q", "--root", root, "--delete-missing", dir.write("c.jsonl", records(0, 20, "gamma"))}) == 1);
    CHECK(documents(root) == 30);
    // ...unless forced.
    REQUIRE(index({"update", "-q", "--root", root, "--delete-missing", "--force", dir / "c.jsonl"}) == 0);
    CHECK(documents(root) == 20);
}

TEST_CASE("live index: a second writer is refused with exit 2 and the first writer's pid") {
    TempDir dir;
    const std::string root = dir / "live";
    const std::string big = dir.write("big.jsonl", records(0, 20000, "delta"));
    ChildProcess first({INDEX_BIN, "update", "-q", "--root", root, "--batch-size", "1000", big});
    std::this_thread::sleep_for(300ms);
    const std::string errors = dir / "second.err";
    const int status = run_program({"/bin/sh", "-c", std::string(INDEX_BIN) + " update -q --root " + root + " " + big + " 2>" + errors});
    CHECK(status == 2);
    std::ifstream in(errors);
    const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(message, Catch::Contains("another indexer is running (pid " + std::to_string(first.pid())));
    CHECK(first.wait(120s) == 0);
}

TEST_CASE("live index: SIGKILL at any moment leaves a committed state, and a rerun completes") {
    TempDir dir;
    const std::string root = dir / "live";
    constexpr int total = 40000, batch = 2000;
    const std::string input = dir.write("input.jsonl", records(0, total, "epsilon"));
    // Into an empty build the indexer writes temporary shards in parallel and merges them at
    // the end: killed before that, the build is still empty.
    for (auto delay : {300ms, 1000ms}) {
        INFO("parallel build killed after " << delay.count() << " ms");
        ChildProcess indexer({INDEX_BIN, "update", "-q", "--root", root, "--batch-size", std::to_string(batch), input});
        std::this_thread::sleep_for(delay);
        indexer.stop(SIGKILL, 10s);
        if (std::filesystem::exists(root + "/XAPIANDB")) {
            const auto count = documents(root);
            CHECK((count == 0 || count == total));
        }
    }
    // An update of a build that has records goes through one writer that commits per batch.
    REQUIRE(index({"update", "-q", "--root", root, dir.write("seed.jsonl", records(total, 1, "seed"))}) == 0);
    for (auto delay : {30ms, 300ms, 800ms, 1500ms}) {
        INFO("update killed after " << delay.count() << " ms");
        ChildProcess indexer({INDEX_BIN, "update", "-q", "--root", root, "--batch-size", std::to_string(batch), input});
        std::this_thread::sleep_for(delay);
        indexer.stop(SIGKILL, 10s);
        const auto count = documents(root) - 1;
        std::printf("killed after %lld ms: %u records committed\n", static_cast<long long>(delay.count()), count);
        CHECK(count % batch == 0);
    }
    // A rebuild killed midway leaves the live build serving.
    const auto before = documents(root);
    {
        ChildProcess rebuild({INDEX_BIN, "rebuild", "-q", "--root", root, "--batch-size", std::to_string(batch), input});
        std::this_thread::sleep_for(500ms);
        rebuild.stop(SIGKILL, 10s);
    }
    CHECK(documents(root) == before);
    REQUIRE(index({"update", "-q", "--root", root, input}) == 0);
    CHECK(documents(root) == total + 1);
    REQUIRE(index({"rebuild", "-q", "--root", root, input}) == 0);
    CHECK(documents(root) == total);
}

TEST_CASE("live index: two rebuilds swap under load with no failed request") {
    TempDir dir;
    const std::string root = dir / "live";
    REQUIRE(index({"rebuild", "-q", "--root", root, dir.write("v1.jsonl", records(0, 300, "zeolite"))}) == 0);
    Server server(SERVER_BIN, root, {"--threads", "2"});
    const auto port = server.port();
    std::atomic<bool> done{false};
    std::atomic<int> failures{0}, served{0};
    std::vector<std::thread> load;
    for (int t = 0; t < 2; ++t) {
        load.emplace_back([&] {
            Client client(port);
            while (!done) {
                const auto reply = client.request("/search?q=record&size=10");
                if (reply.status != 200) ++failures;
                ++served;
            }
        });
    }
    auto visible = [&](const std::string& word) { return !hit_ids(get(port, "/search?q=" + word).json()).empty(); };
    // Each search thread looks for a new build on its own schedule: the swap is complete when
    // every thread answers with the new content, i.e. many requests in a row agree.
    auto visible_everywhere = [&](const std::string& word) {
        for (int i = 0; i < 20; ++i)
            if (!visible(word)) return false;
        return true;
    };
    CHECK(visible("zeolite"));
    for (const std::string word : {"quasar", "nebula"}) {
        REQUIRE(index({"rebuild", "-q", "--root", root, dir.write(word + ".jsonl", records(0, 300, word))}) == 0);
        const auto swapped = std::chrono::steady_clock::now();
        bool switched = false;
        while (!(switched = visible_everywhere(word)) && std::chrono::steady_clock::now() - swapped < 5s)
            std::this_thread::sleep_for(10ms);
        const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - swapped);
        std::printf("swap to %s: served by every search thread after %lld ms\n", word.c_str(), static_cast<long long>(delay.count()));
        CHECK(switched);
        CHECK(delay < 2s);
    }
    CHECK_FALSE(visible("zeolite"));
    done = true;
    for (auto& thread : load) thread.join();
    std::printf("requests served during the swaps: %d, failed: %d\n", served.load(), failures.load());
    CHECK(failures == 0);
    CHECK(served > 0);
}
