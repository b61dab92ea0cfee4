// The table-page estimate that lets a boot refuse a machine too large for
// the host before allocating anything (docs/limits.md).  Counted by hand
// from the geometry: a level-L table spans PTRS_PER_L entries of L.
#include "ptsim/kernel/arch/arm64/mm/table_estimate.h"

#include <gtest/gtest.h>

namespace ptsim::kernel::arm64 {
namespace {

constexpr uint64_t KiB = uint64_t{1} << 10;
constexpr uint64_t MiB = uint64_t{1} << 20;
constexpr uint64_t GiB = uint64_t{1} << 30;
constexpr uint64_t TiB = uint64_t{1} << 40;
constexpr uint64_t kLinear48 = 0xffff000000000000;

uint64_t at(const TableEstimate& e, PgLevel l) {
  return e.tables[static_cast<int>(l)];
}

TEST(TableEstimate, OneGibPageByPageWith4kPagesNeeds512PteTables) {
  const Geometry g = arm64_geometry(12, 48);
  const TableEstimate e = estimate_mapping_tables(g, {{kLinear48, kLinear48 + GiB}}, true);
  EXPECT_EQ(at(e, PgLevel::pte), 512u);  // 2 MiB per pte table
  EXPECT_EQ(at(e, PgLevel::pmd), 1u);    // 1 GiB per pmd table
  EXPECT_EQ(at(e, PgLevel::pud), 1u);    // 512 GiB per pud table
  EXPECT_EQ(at(e, PgLevel::pgd), 0u);    // swapper_pg_dir is in the image
  EXPECT_EQ(e.pages(), 514u);
  EXPECT_EQ(e.describe(g), "pud 1, pmd 1, pte 512");
}

TEST(TableEstimate, BlockMappingsNeedTablesOnlyAtUnalignedEnds) {
  const Geometry g = arm64_geometry(12, 48);
  // Aligned to 1 GiB: one pud entry is a block, no pmd or pte table.
  EXPECT_EQ(estimate_mapping_tables(g, {{kLinear48, kLinear48 + GiB}}, false).pages(), 1u);
  // 2 MiB + 4 KiB to 1 GiB + 2 MiB + 8 KiB: a pte table at each end, a pmd
  // table for each of the two GiB the range touches.
  const TableEstimate e = estimate_mapping_tables(
      g, {{kLinear48 + 2 * MiB + 4 * KiB, kLinear48 + GiB + 2 * MiB + 8 * KiB}}, false);
  EXPECT_EQ(at(e, PgLevel::pte), 2u);
  EXPECT_EQ(at(e, PgLevel::pmd), 2u);
  EXPECT_EQ(at(e, PgLevel::pud), 1u);
}

TEST(TableEstimate, LargestMachine64kPages52BitVaPageByPageNeeds32Gib) {
  // 256 TiB: 2^48 / 512 MiB per pte table, 2^48 / 4 TiB per pmd table.
  const Geometry g = arm64_geometry(16, 52);
  const uint64_t start = 0xfff0000000000000;
  const TableEstimate e = estimate_mapping_tables(g, {{start, start + 256 * TiB}}, true);
  EXPECT_EQ(e.describe(g), "pmd 64, pte 524288");
  EXPECT_EQ(e.pages() * g.page_size(), 32 * GiB + 64 * 64 * KiB);
  // With block mappings (512 MiB pmd blocks) only the pmd tables remain.
  EXPECT_EQ(estimate_mapping_tables(g, {{start, start + 256 * TiB}}, false).pages(), 64u);
}

TEST(TableEstimate, RangesAreCountedSeparatelyAndEmptyOnesNotAtAll) {
  const Geometry g = arm64_geometry(12, 39);  // 3 levels: pgd, pmd, pte
  const TableEstimate e = estimate_mapping_tables(
      g, {{0xffffff8000000000, 0xffffff8000001000}, {0xffffff8000200000, 0xffffff8000200000}},
      true);
  EXPECT_EQ(e.describe(g), "pmd 1, pte 1");
}

}  // namespace
}  // namespace ptsim::kernel::arm64
