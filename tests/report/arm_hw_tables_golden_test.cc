// The hardware view of the kernel tables after paging_init, against the
// descriptors read from guest RAM of Debian's 6.1 kernels under QEMU
// (tests/golden/arm/<case>/tables-paging_init-hw-swapper.txt): every valid
// leaf, decoded with the hw/ short-descriptor and long-descriptor decoders,
// merged into runs of one kind and one set of attributes, as the capture's
// walker prints them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "report/arm_qemu_cases.h"

namespace ptsim::report {
namespace {

namespace sd = hw::arm::short_descriptor;
namespace ld = hw::arm::long_descriptor;

struct Leaf {
  uint64_t va;
  uint64_t size;
  uint64_t pa;
  std::string kind;
  std::string attrs;
};

class Runs {
 public:
  void add(const Leaf& l) {
    if (!runs_.empty()) {
      Leaf& r = runs_.back();
      if (r.va + r.size == l.va && r.pa + r.size == l.pa && r.kind == l.kind &&
          r.attrs == l.attrs) {
        r.size += l.size;
        return;
      }
    }
    runs_.push_back(l);
  }
  std::vector<std::string> lines(const char* root) const {
    std::vector<std::string> out;
    for (const Leaf& r : runs_) {
      out.push_back(fmt::format("0x{:08x} 0x{:09x} 0x{:010x} {:<13} {} root={}", r.va,
                                r.va + r.size, r.pa, r.kind, r.attrs, root));
    }
    return out;
  }

 private:
  std::vector<Leaf> runs_;
};

std::string short_attrs(const sd::RegionAttributes& a, bool pxn, bool ns, unsigned domain) {
  return fmt::format("AP={} APX={} XN={} PXN={} TEX={} C={} B={} S={} nG={} NS={} domain={}", a.ap,
                     int{a.apx}, int{a.xn}, int{pxn}, a.tex, int{a.c}, int{a.b}, int{a.s},
                     int{a.ng}, int{ns}, domain);
}

std::vector<std::string> classic_leaves(const hw::PhysMem& mem, uint64_t ttbr) {
  Runs runs;
  for (uint64_t i = 0; i < sd::kFirstLevelEntries; ++i) {
    const uint64_t va = i << 20;
    const auto d = sd::decode_first_level(mem.load32(hw::PhysAddr(ttbr + i * 4)));
    if (const auto* s = std::get_if<sd::Section>(&d)) {
      runs.add({va, 1u << 20, s->base.value(), "section",
                short_attrs(s->attrs, s->pxn, s->ns, s->domain)});
    } else if (const auto* t = std::get_if<sd::PageTable>(&d)) {
      for (uint64_t j = 0; j < sd::kSecondLevelEntries; ++j) {
        const auto p = sd::decode_second_level(mem.load32(hw::PhysAddr(t->base.value() + j * 4)));
        if (const auto* sp = std::get_if<sd::SmallPage>(&p)) {
          runs.add({va + (j << 12), 4096, sp->base.value(), "small",
                    short_attrs(sp->attrs, false, t->ns, t->domain)});
        }
      }
    }
  }
  return runs.lines("TTBR0");
}

std::string long_attrs(const ld::LeafAttributes& a, const ld::Table* parent) {
  return fmt::format(
      "AttrIndx={} NS={} AP={} SH={} AF={} nG={} Contig={} PXN={} XN={} SW={} PXNTable={} "
      "XNTable={} APTable={} NSTable={}",
      a.attr_indx, int{a.ns}, static_cast<int>(a.ap), static_cast<int>(a.sh), int{a.af}, int{a.ng},
      int{a.contiguous}, int{a.pxn}, int{a.xn}, a.software, parent ? int{parent->pxn_table} : 0,
      parent ? int{parent->xn_table} : 0, parent ? static_cast<int>(parent->ap_table) : 0,
      parent ? int{parent->ns_table} : 0);
}

// TTBR1 with a 3G/1G split points at the last pmd table: the kernel's 1 GiB.
std::vector<std::string> lpae_leaves(const hw::PhysMem& mem, uint64_t l2_table) {
  Runs runs;
  for (uint64_t j = 0; j < ld::kEntriesPerTable; ++j) {
    const uint64_t va = 0xc0000000 + (j << 21);
    const auto d = ld::decode(mem.load64(hw::PhysAddr(l2_table + j * 8)), 2);
    if (const auto* b = std::get_if<ld::Block>(&d)) {
      runs.add({va, 2u << 20, b->output_address.value(), "L2block", long_attrs(b->attrs, nullptr)});
    } else if (const auto* t = std::get_if<ld::Table>(&d)) {
      for (uint64_t k = 0; k < ld::kEntriesPerTable; ++k) {
        const auto p = ld::decode(mem.load64(hw::PhysAddr(t->next_table.value() + k * 8)), 3);
        if (const auto* pg = std::get_if<ld::Page>(&p)) {
          runs.add({va + (k << 12), 4096, pg->output_address.value(), "L3page",
                    long_attrs(pg->attrs, t)});
        }
      }
    }
  }
  return runs.lines("TTBR1");
}

class HwTablesGolden : public ::testing::TestWithParam<testing::QemuCase> {};

TEST_P(HwTablesGolden, LeavesAfterPagingInit) {
  const testing::QemuCase& c = GetParam();
  std::vector<std::string> want;
  std::ifstream in(testing::qemu_case_dir(c) / "tables-paging_init-hw-swapper.txt");
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l[0] != '#') {
      want.push_back(l);
    }
  }
  ASSERT_FALSE(want.empty());
  const kernel::arm::ArmBoot b = testing::boot_qemu_case(c);
  const std::vector<std::string> got =
      c.lpae ? lpae_leaves(*b.mem, b.pgd() + 0x1000 + 3 * 0x1000) : classic_leaves(*b.mem, b.pgd());
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Debian61, HwTablesGolden,
                         ::testing::Values(testing::QemuCase{"vexpress-a9-1g-armmp", false, false},
                                           testing::QemuCase{"virt-1g-armmp", false, true},
                                           testing::QemuCase{"virt-2g-armmp", false, true},
                                           testing::QemuCase{"virt-3g-armmp-lpae", true, true}),
                         [](const ::testing::TestParamInfo<testing::QemuCase>& param_info) {
                           return testing::test_name(param_info.param.dir);
                         });

}  // namespace
}  // namespace ptsim::report
