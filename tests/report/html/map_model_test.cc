// The HTML map's data model: attribute classes, aggregation, physical
// ranges, and the JSON and page built from it.
#include "ptsim/report/html/map_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ptsim/report/html/page.h"

namespace ptsim::report::html {
namespace {

using Words = std::vector<std::string>;

struct PermCase {
  Words attrs;
  const char* perm;
  const char* memtype;
};

TEST(HtmlMapModel, ClassesFollowThePtdumpWords) {
  const PermCase cases[] = {
      {{"RW", "NX", "SHD", "AF", "BLK", "UXN", "MEM/NORMAL"}, "RW", "normal"},
      {{"ro", "x", "SHD", "AF", "UXN", "MEM/NORMAL"}, "RX", "normal"},
      {{"ro", "NX", "SHD", "AF", "UXN", "MEM/NORMAL-TAGGED"}, "RO", "tagged"},
      {{"RW", "x", "SHD", "AF", "MEM/NORMAL"}, "RWX", "normal"},
      {{"RW", "NX", "AF", "UXN", "DEVICE/nGnRE"}, "RW", "device"},
      {{"RW", "NX", "AF", "UXN", "MEM/NORMAL-NC"}, "RW", "normal-nc"},
      {{"USR", "ro", "x", "SHD", "MEM/CACHED/WBWA"}, "USR RX", "normal"},  // arm dump.c
      {{"RW", "NX", "SHD", "DEV/SHARED"}, "RW", "device"},
      {{"RW", "NX", "SO/UNCACHED"}, "RW", "device"},
      {{"RW", "NX", "MEM/BUFFERABLE/WC"}, "RW", "normal-nc"},
      {{"RW", "NX", "SHD"}, "RW", "unknown"},  // an arm section: dump.c names no type
  };
  for (const PermCase& c : cases) {
    std::string all;
    for (const std::string& w : c.attrs) {
      all += w + " ";
    }
    EXPECT_EQ(perm_class(c.attrs), c.perm) << all;
    EXPECT_EQ(memtype_class(c.attrs), c.memtype) << all;
  }
}

Mapping mapping(uint64_t first, uint64_t last, const char* perm, const char* kind = "page") {
  Mapping m;
  m.root = "swapper_pg_dir";
  m.first = first;
  m.last = last;
  m.pa = first & 0xffffffff;
  m.level = "PTE";
  m.kind = kind;
  m.perm = perm;
  m.memtype = "normal";
  m.walk = {{"L3 PTE", 0x1000, first >> 12 & 511, 0x3, "page"}};
  return m;
}

//   0x0000 RW | 0x1000 RW | 0x2000 RO | 0x3000 RO |  gap  | 0x5000 RO | 0x6000 RO block
// merge into   [RW x2]      [RO x2]                         [RO]        [RO block]
TEST(HtmlMapModel, AggregateMergesNeighboursOfOneClassOnlyPastTheCap) {
  MapModel model;
  model.mappings = {mapping(0x0000, 0x0fff, "RW"), mapping(0x1000, 0x1fff, "RW"),
                    mapping(0x2000, 0x2fff, "RO"), mapping(0x3000, 0x3fff, "RO"),
                    mapping(0x5000, 0x5fff, "RO"), mapping(0x6000, 0x6fff, "RO", "block")};
  MapModel under_cap = model;
  aggregate(under_cap, 6);
  EXPECT_EQ(under_cap.mappings, model.mappings);
  EXPECT_TRUE(under_cap.notes.empty());

  aggregate(model, 4);
  ASSERT_EQ(model.mappings.size(), 4u);
  EXPECT_EQ(model.mappings[0].first, 0x0000u);
  EXPECT_EQ(model.mappings[0].last, 0x1fffu);
  EXPECT_EQ(model.mappings[0].runs, 2u);
  EXPECT_EQ(model.mappings[1].first, 0x2000u);
  EXPECT_EQ(model.mappings[1].last, 0x3fffu);
  EXPECT_EQ(model.mappings[1].walk, mapping(0x2000, 0x2fff, "RO").walk) << "the first run's walk";
  EXPECT_EQ(model.mappings[2].runs, 1u) << "a hole in VA ends a run";
  EXPECT_EQ(model.mappings[3].kind, "block") << "blocks and pages stay apart";
  ASSERT_EQ(model.notes.size(), 1u);
  EXPECT_NE(model.notes[0].find("6 mapping runs were aggregated into 4"), std::string::npos)
      << model.notes[0];
}

TEST(HtmlMapModel, AggregateCapsWhatItCannotMergeAndSaysSo) {
  MapModel model;
  for (uint64_t i = 0; i < 10; ++i) {
    model.mappings.push_back(mapping(i * 0x2000, i * 0x2000 + 0xfff, "RW"));  // all apart
  }
  aggregate(model, 3);
  ASSERT_EQ(model.mappings.size(), 3u);
  EXPECT_EQ(model.mappings.back().first, 0x4000u);
  ASSERT_EQ(model.notes.size(), 2u);
  EXPECT_EQ(model.notes[1], "only the first 3 of 10 mappings are drawn");
}

TEST(HtmlMapModel, MergePhysJoinsTouchingRangesOfOneKindAndLabel) {
  const std::vector<PhysRange> in = {{"table", 0x3000, 0x1000, "page tables"},
                                     {"ram", 0x0, 0x10000, "memblock.memory"},
                                     {"table", 0x2000, 0x1000, "page tables"},
                                     {"table", 0x5000, 0x1000, "page tables"},
                                     {"reserved", 0x2000, 0x2000, "memblock.reserved"}};
  const std::vector<PhysRange> want = {{"ram", 0x0, 0x10000, "memblock.memory"},
                                       {"reserved", 0x2000, 0x2000, "memblock.reserved"},
                                       {"table", 0x2000, 0x2000, "page tables"},
                                       {"table", 0x5000, 0x1000, "page tables"}};
  EXPECT_EQ(merge_phys(in), want);
}

MapModel small_model() {
  MapModel model;
  model.title = "test <map>";
  model.arch = "arm64";
  model.regions = {{"linear map", 0xffff000000000000, 0xffff7fffffffffff},
                   {"</script><script>alert(1)</script>", 0x0, 0xffff}};
  model.mappings = {mapping(0xffff000000000000, 0xffff000000000fff, "RW")};
  model.phys = {{"ram", 0x40000000, 0x1000, "memblock.memory"}};
  model.table_cost = {{"PGD", 1, 4096}};
  return model;
}

TEST(HtmlMapModel, JsonCarriesAddressesAsHexAndTheWalk) {
  const nlohmann::json j = map_model_json(small_model());
  EXPECT_EQ(j["schema"], "ptsim.html-map/1");
  EXPECT_EQ(j["regions"][0]["last"], "0xffff7fffffffffff");
  const auto& m = j["mappings"][0];
  EXPECT_EQ(m["first"], "0xffff000000000000");
  EXPECT_EQ(m["last"], "0xffff000000000fff");
  EXPECT_EQ(m["pa"], "0x0");
  ASSERT_EQ(m["walk"].size(), 1u);
  EXPECT_EQ(m["walk"][0]["table"], "0x1000");
  EXPECT_EQ(m["walk"][0]["desc"], "0x0000000000000003");
  EXPECT_EQ(j["table_cost"][0]["bytes"], 4096);
  EXPECT_EQ(j["phys"][0]["size"], "0x1000");
}

TEST(HtmlMapModel, PageEmbedsTheJsonWhereNoTextCanEndTheScript) {
  const std::string page = map_html(small_model());
  EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
  EXPECT_NE(page.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), std::string::npos);
  EXPECT_NE(page.find("<title>test &lt;map&gt; — memory map</title>"), std::string::npos);
  // The embedded JSON reads back as the model's.
  const std::string open = "<script type=\"application/json\" id=\"ptsim-data\">";
  const size_t at = page.find(open);
  ASSERT_NE(at, std::string::npos);
  const size_t end = page.find("</script>", at);
  const auto data = nlohmann::json::parse(page.substr(at + open.size(), end - at - open.size()));
  EXPECT_EQ(data["maps"][0], map_model_json(small_model()));
}

TEST(HtmlMapModel, PageNeedsNothingFromOutside) {
  const std::string page = map_html(small_model());
  for (const char* outside : {"http://", "https://", "<link", " src=", "@import", "url("}) {
    EXPECT_EQ(page.find(outside), std::string::npos) << outside;
  }
}

}  // namespace
}  // namespace ptsim::report::html
