// The store on a real directory: stub files, the generations of a live root, the generation key
// that the result cache and cursors pin, the writer lock.
#include "record/error.hpp"
#include "store/builds.hpp"
#include "store/database.hpp"
#include "store/stub.hpp"
#include "store/writer_lock.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace scholarsearch;
using scholarsearch::testing::TempDir;

namespace {

// A database of `words` documents committed the way our writers commit.
void add_documents(const std::string& path, const std::vector<std::string>& words) {
    Xapian::WritableDatabase database = store::open_writable(path);
    for (const auto& word : words) {
        Xapian::Document document;
        document.add_term(word);
        database.add_document(document);
    }
    store::commit(database);
}

}  // namespace

TEST_CASE("stub: lists local and remote databases and reads back what was written") {
    TempDir dir;
    const std::string stub = dir / "XAPIANDB";
    std::vector<store::StubEntry> entries{store::StubEntry::local("builds/000001-x/shard-0"),
                                          store::StubEntry::remote("search-2.example", 33333),
                                          store::StubEntry::remote("::1", 4000)};
    store::StubEntry program;
    program.kind = store::StubEntry::Kind::remote_program;
    program.backend.clear();
    program.program = "xapian-progsrv";
    program.arguments = "/srv/db";
    entries.push_back(program);
    store::write_stub(stub, entries);
    CHECK(testing::read_file(stub) ==
          "auto builds/000001-x/shard-0\nremote search-2.example:33333\nremote [::1]:4000\nremote :xapian-progsrv /srv/db\n");
    CHECK(store::read_stub(stub) == entries);
    CHECK(store::resolved_path(entries[0], stub) == dir / "builds/000001-x/shard-0");

    // Comments, blank lines and Xapian's other local backends, as a person may write them.
    const auto parsed = store::parse_stub("# the live build\n\n  glass /abs/db  \nauto rel\n", "S");
    REQUIRE(parsed.size() == 2);
    CHECK(parsed[0].backend == "glass");
    CHECK(parsed[0].path == "/abs/db");
    CHECK(store::resolved_path(parsed[0], stub) == "/abs/db");

    // A line Xapian would refuse says where it is.
    CHECK_THROWS_WITH(store::parse_stub("auto a\nflint b\n", "S"), Catch::Contains("S:2:") && Catch::Contains("flint"));
    CHECK_THROWS_WITH(store::parse_stub("remote host-without-port\n", "S"), Catch::Contains("S:1:"));
    CHECK_THROWS_WITH(store::parse_stub("# nothing\n", "S"), Catch::Contains("lists no database"));
}

TEST_CASE("stub: a reader sees the old list or the new one, never a mix, while the stub is rewritten") {
    TempDir dir;
    const std::string stub = dir / "XAPIANDB";
    const std::vector<store::StubEntry> one{store::StubEntry::local("builds/000001-a")};
    const std::vector<store::StubEntry> three{store::StubEntry::local("builds/000002-b/shard-0"),
                                              store::StubEntry::local("builds/000002-b/shard-1"),
                                              store::StubEntry::remote("shard-2.example", 33333)};
    store::write_stub(stub, one);
    std::atomic<bool> done{false};
    std::atomic<int> torn{0}, reads{0};
    std::thread reader([&] {
        while (!done) {
            const std::string text = testing::read_file(stub);
            if (text != store::format_stub(one) && text != store::format_stub(three)) ++torn;
            ++reads;
        }
    });
    for (int i = 0; i < 400; ++i) store::write_stub(stub, i % 2 ? one : three);
    while (reads < 100) std::this_thread::yield();
    done = true;
    reader.join();
    CHECK(torn == 0);
    CHECK(store::read_stub(stub) == one);
    CHECK_FALSE(std::filesystem::exists(stub + ".tmp"));
}

TEST_CASE("store: a stub naming a build that is not there gives an error naming both") {
    TempDir dir;
    const std::string root = dir / "live";
    std::filesystem::create_directories(store::builds_path(root));
    store::publish_build(root, "000003-missing");
    CHECK_THROWS_AS(store::open_index(root), IndexUnavailable);
    CHECK_THROWS_WITH(store::open_index(root), Catch::Contains(store::root_stub_path(root)) &&
                                                   Catch::Contains("builds/000003-missing") &&
                                                   Catch::Contains("does not exist"));
    // The stub file itself opens the same way as the root that holds it.
    CHECK_THROWS_WITH(store::open_index(store::root_stub_path(root)), Catch::Contains("does not exist"));
}

TEST_CASE("store: builds are named in creation order and the stub names the live one") {
    TempDir dir;
    const std::string root = dir / "live";
    std::filesystem::create_directories(store::builds_path(root));
    CHECK(store::next_build_name(root).rfind("000001-", 0) == 0);
    CHECK_FALSE(store::live_build(root));
    std::filesystem::create_directories(store::build_path(root, "000007-20261126T011356Z"));
    std::filesystem::create_directories(store::build_path(root, "000002-20261126T011356Z"));
    CHECK(store::next_build_name(root).rfind("000008-", 0) == 0);
    CHECK(store::list_builds(root) == std::vector<std::string>{"000002-20261126T011356Z", "000007-20261126T011356Z"});

    store::publish_build(root, "000007-20261126T011356Z");
    CHECK(store::live_build(root) == "000007-20261126T011356Z");
    CHECK_FALSE(store::last_swap_time(root).empty());
    // Shards of one generation: still that generation; databases of two: none of them.
    store::write_stub(store::root_stub_path(root), {store::StubEntry::local("builds/000007-x/shard-0"),
                                                    store::StubEntry::local("builds/000007-x/shard-1")});
    CHECK(store::live_build(root) == "000007-x");
    store::write_stub(store::root_stub_path(root), {store::StubEntry::local("builds/000007-x/shard-0"),
                                                    store::StubEntry::local("builds/000002-y/shard-1")});
    CHECK_FALSE(store::live_build(root));
}

TEST_CASE("store: the generation changes with each commit and each swap, over a remote backend too") {
    TempDir dir;
    const std::string root = dir / "live";
    std::filesystem::create_directories(store::builds_path(root));
    const std::string first = store::build_path(root, "000001-a");
    add_documents(first, {"alpha"});
    store::publish_build(root, "000001-a");

    store::OpenIndex live = store::open_index(root);
    REQUIRE(live.parts.size() == 1);
    const std::string before = store::generation(live);
    REQUIRE_FALSE(before.empty());
    CHECK(store::generation(store::open_index(root)) == before);   // the same state, the same name

    // A commit in place: the open database still reads its revision, until reopened.
    const std::string identity = store::path_identity(root);
    add_documents(first, {"beta"});
    CHECK(store::generation(live) == before);
    REQUIRE(live.database.reopen());
    const std::string committed = store::generation(live);
    CHECK(committed != before);
    CHECK(store::path_identity(root) == identity);   // nothing repointed

    // A swap: the stub is repointed (the path's identity says so) and the new build is another generation.
    const std::string second = store::build_path(root, "000002-b");
    add_documents(second, {"alpha", "beta"});
    store::publish_build(root, "000002-b");
    CHECK(store::path_identity(root) != identity);
    const std::string swapped = store::generation(store::open_index(root));
    CHECK(swapped != committed);
    CHECK(swapped != before);

    // Xapian's remote backend reports no revision: the generation is made without it.
    const std::string remote_stub = dir.write("remote.stub", "remote :xapian-progsrv " + second + "\n");
    store::OpenIndex remote = store::open_index(remote_stub);
    CHECK_THROWS_AS(remote.parts.front().get_revision(), Xapian::Error);
    const std::string remote_before = store::generation(remote);
    REQUIRE_FALSE(remote_before.empty());
    add_documents(second, {"gamma"});
    REQUIRE(remote.database.reopen());
    CHECK(store::generation(remote) != remote_before);

    // Several databases: one short key, which changes when any of them does.
    const std::string shards_stub = dir.write("shards.stub", "auto " + first + "\nauto " + second + "\n");
    store::OpenIndex shards = store::open_index(shards_stub);
    CHECK(shards.parts.size() == 2);
    CHECK(shards.database.get_doccount() == 5);
    const std::string shards_before = store::generation(shards);
    CHECK(shards_before.size() == 17);
    add_documents(second, {"delta"});
    REQUIRE(shards.database.reopen());
    CHECK(store::generation(shards) != shards_before);
}

TEST_CASE("writer lock: a second writer is refused with the holder's pid, and may lock once it is released") {
    TempDir dir;
    const std::string lock_path = store::root_lock_path(dir.path().string());
    {
        store::WriterLock held(lock_path, "index root R");
        CHECK_THROWS_AS(store::WriterLock(lock_path, "index root R"), IndexLocked);
        CHECK_THROWS_WITH(store::WriterLock(lock_path, "index root R"),
                          Catch::Contains("index root R is locked") && Catch::Contains(std::to_string(::getpid())));
    }
    CHECK_NOTHROW(store::WriterLock(lock_path, "index root R"));
}
