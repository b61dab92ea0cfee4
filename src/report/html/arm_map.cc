#include "ptsim/report/html/arm_map.h"

#include <fmt/format.h>

#include <set>
#include <variant>

#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/kernel/arch/arm/mm/proc_v7_2level.h"
#include "ptsim/report/html/memblock_ranges.h"
#include "ptsim/report/ptdump_arm.h"

namespace ptsim::report::html {
namespace {

namespace sd = hw::arm::short_descriptor;
namespace ld = hw::arm::long_descriptor;

// MAIR0 and MAIR1 of an LPAE kernel: arch/arm/mm/proc-v7-3level.S (v6.1)
// loads them into the registers named PRRR and NMRR.
constexpr uint32_t kLpaeMair0 = 0xeeaa4400;
constexpr uint32_t kLpaeMair1 = 0xff000004;

std::string class_of(const hw::arm::MemoryAttributes& a) {
  if (a.type != hw::arm::MemoryType::normal) {
    return "device";
  }
  return a.inner == hw::arm::CacheAttribute::non_cacheable ? "normal-nc" : "normal";
}

// The memory type of a leaf whose ptdump words do not name it (sections
// and blocks: dump.c's section_bits have no memory-type rows): what the
// MMU makes of its attributes with Linux's remap registers.
// The class `classify` gives a descriptor's attributes, for the
// alternatives of a descriptor variant that have any (leaves).
template <typename Descriptor, typename Classify>
std::string leaf_class(const Descriptor& d, Classify classify) {
  return std::visit(
      [&](const auto& alt) -> std::string {
        if constexpr (requires { alt.attrs; }) {
          return classify(alt.attrs);
        } else {
          return "unknown";
        }
      },
      d);
}

std::string leaf_memtype(const std::vector<WalkEntry>& walk, bool lpae) {
  if (walk.empty()) {
    return "unknown";
  }
  const uint64_t desc = walk.back().desc;
  if (lpae) {
    return leaf_class(ld::decode(desc, static_cast<unsigned>(walk.size())),
                      [](const ld::LeafAttributes& a) {
                        return class_of(ld::memory_attributes(a, kLpaeMair0, kLpaeMair1));
                      });
  }
  const auto remap = [](const sd::RegionAttributes& a) {
    return class_of(sd::memory_attributes(a, true, kernel::arm::pgtable_2level::PRRR,
                                          kernel::arm::pgtable_2level::NMRR));
  };
  const uint32_t v = static_cast<uint32_t>(desc);
  return walk.size() == 1 ? leaf_class(sd::decode_first_level(v), remap)
                          : leaf_class(sd::decode_second_level(v), remap);
}

std::string long_kind(const ld::Descriptor& d) {
  if (std::holds_alternative<ld::Table>(d)) {
    return "table";
  }
  if (std::holds_alternative<ld::Block>(d)) {
    return "block";
  }
  if (std::holds_alternative<ld::Page>(d)) {
    return "page";
  }
  return "invalid";
}

std::vector<WalkEntry> short_walk(const hw::PhysMem& mem, uint64_t ttbr, uint32_t va) {
  std::vector<WalkEntry> rows;
  const uint64_t l1_index = va >> sd::kSectionShift;
  const uint32_t l1 = mem.load32(hw::PhysAddr(ttbr + l1_index * 4));
  const sd::FirstLevelKind kind = sd::first_level_kind(l1);
  rows.push_back({"L1 PGD", ttbr, l1_index, l1, sd::to_string(kind)});
  if (kind != sd::FirstLevelKind::page_table) {
    return rows;
  }
  const uint64_t table = sd::decode_page_table(l1).base.value();
  const uint64_t l2_index = (va >> sd::kSmallPageShift) & (sd::kSecondLevelEntries - 1);
  const uint32_t l2 = mem.load32(hw::PhysAddr(table + l2_index * 4));
  rows.push_back({"L2 PTE", table, l2_index, l2, sd::to_string(sd::second_level_kind(l2))});
  return rows;
}

std::vector<WalkEntry> long_walk(const hw::PhysMem& mem, uint64_t ttbr, uint32_t va) {
  static constexpr const char* kNames[] = {"", "L1 PGD", "L2 PMD", "L3 PTE"};
  std::vector<WalkEntry> rows;
  uint64_t table = ttbr;
  for (unsigned level = 1; level <= 3; ++level) {
    const uint64_t index =
        (va >> ld::level_shift(level)) & (level == 1 ? 3 : ld::kEntriesPerTable - 1);
    const uint64_t desc = mem.load64(hw::PhysAddr(table + index * ld::kDescriptorBytes));
    const ld::Descriptor d = ld::decode(desc, level);
    rows.push_back({kNames[level], table, index, desc, long_kind(d)});
    const auto* next = std::get_if<ld::Table>(&d);
    if (next == nullptr) {
      return rows;
    }
    table = next->next_table.value();
  }
  return rows;
}

// The table pages under swapper_pg_dir: the first-level table itself and
// each page a table descriptor points into (Linux's pte pages hold two
// hardware tables after its own two, arch/arm/include/asm/pgtable-2level.h).
void add_tables(MapModel& model, const hw::PhysMem& mem, uint64_t pgd, bool lpae) {
  std::set<uint64_t> pmd_pages;
  std::set<uint64_t> pte_pages;
  if (!lpae) {
    for (uint64_t i = 0; i < sd::kFirstLevelEntries; ++i) {
      const uint32_t l1 = mem.load32(hw::PhysAddr(pgd + i * 4));
      if (sd::first_level_kind(l1) == sd::FirstLevelKind::page_table) {
        pte_pages.insert(sd::decode_page_table(l1).base.value() & ~uint64_t{0xfff});
      }
    }
  } else {
    for (uint64_t i = 0; i < 4; ++i) {
      const ld::Descriptor d1 = ld::decode(mem.load64(hw::PhysAddr(pgd + i * 8)), 1);
      const auto* t = std::get_if<ld::Table>(&d1);
      if (t == nullptr) {
        continue;
      }
      const uint64_t pmd = t->next_table.value();
      pmd_pages.insert(pmd);
      for (uint64_t j = 0; j < ld::kEntriesPerTable; ++j) {
        const ld::Descriptor d = ld::decode(mem.load64(hw::PhysAddr(pmd + j * 8)), 2);
        if (const auto* pte = std::get_if<ld::Table>(&d)) {
          pte_pages.insert(pte->next_table.value());
        }
      }
    }
  }
  const uint64_t pgd_bytes = lpae ? 32 : sd::kFirstLevelTableBytes;
  model.phys.push_back({"table", pgd, std::max<uint64_t>(pgd_bytes, 4096), "page tables"});
  model.table_cost.push_back({"PGD", 1, pgd_bytes});
  if (lpae) {
    model.table_cost.push_back({"PMD", pmd_pages.size(), pmd_pages.size() * 4096});
  }
  model.table_cost.push_back({"PTE", pte_pages.size(), pte_pages.size() * 4096});
  for (const std::set<uint64_t>* pages : {&pmd_pages, &pte_pages}) {
    for (const uint64_t p : *pages) {
      model.phys.push_back({"table", p, 4096, "page tables"});
    }
  }
}

// Whether the leaf a walk ends at stands for a 64 KiB or 16 MiB run of the
// hardware's own (a large page or a supersection, repeated 16 times), or
// carries the LPAE Contiguous hint.
bool contiguous_leaf(const std::vector<WalkEntry>& walk, bool lpae) {
  if (walk.empty()) {
    return false;
  }
  const WalkEntry& leaf = walk.back();
  if (lpae) {
    return (leaf.kind == "block" || leaf.kind == "page") &&
           ld::leaf::contiguous.get(leaf.desc) != 0;
  }
  return leaf.kind == sd::to_string(sd::FirstLevelKind::supersection) ||
         leaf.kind == sd::to_string(sd::SecondLevelKind::large_page);
}

// The mappings of ptdump's runs, each with the walk of its first address.
void add_mappings(MapModel& model, const hw::PhysMem& mem, uint64_t pgd, bool lpae,
                  const std::vector<ArmMappingRun>& runs) {
  for (const ArmMappingRun& r : runs) {
    Mapping m;
    m.root = "swapper_pg_dir";
    m.first = r.va_start;
    m.last = r.va_end - 1;
    m.pa = r.pa_start;
    m.level = r.level;
    m.kind = r.level == "PTE" ? "page" : "block";
    m.attrs = r.attrs;
    if (!r.domain.empty()) {
      m.attrs.push_back("domain:" + r.domain);
    }
    m.perm = perm_class(r.attrs);
    m.walk = arm_walk(mem, pgd, static_cast<uint32_t>(r.va_start), lpae);
    m.contiguous = contiguous_leaf(m.walk, lpae);
    m.memtype = memtype_class(r.attrs);
    if (m.memtype == "unknown") {
      m.memtype = leaf_memtype(m.walk, lpae);
    }
    model.mappings.push_back(std::move(m));
  }
}

}  // namespace

MapModel arm_image_map_model(const hw::PhysMem& mem, const ArmPtdumpInput& dump) {
  MapModel model;
  model.title = "ptsim ptdump --arch armv7 --mem";
  model.subtitle =
      fmt::format("translation tables read from a memory image, {} at PA {:#x}",
                  dump.lpae ? "LPAE (long descriptors)" : "short descriptors", dump.pgd);
  model.arch = "arm";
  model.va_width = 32;
  add_marker_regions(model, dump.markers);
  add_memory_banks(model, mem);
  add_mappings(model, mem, dump.pgd, dump.lpae, ptdump_arm(mem, dump).runs);
  add_tables(model, mem, dump.pgd, dump.lpae);
  model.phys = merge_phys(std::move(model.phys));
  aggregate(model);
  return model;
}

std::vector<WalkEntry> arm_walk(const hw::PhysMem& mem, uint64_t ttbr, uint32_t va, bool lpae) {
  return lpae ? long_walk(mem, ttbr, va) : short_walk(mem, ttbr, va);
}

MapModel arm_map_model(const kernel::arm::ArmBoot& boot) {
  const auto& s = boot.state;
  const auto& l = s.layout;
  const auto& c = boot.input.config;
  MapModel model;
  model.title = "ptsim boot --arch arm";
  model.subtitle = fmt::format(
      "Linux {} arm, VMSPLIT_{}G, {}", kernel::arm::to_string(c.version), c.vmsplit_user_gib,
      c.lpae ? "LPAE (long descriptors)" : "classic MMU (short descriptors)");
  model.arch = "arm";
  model.va_width = 32;
  const uint64_t lowmem_end = s.high_memory != 0 ? s.high_memory : l.PAGE_OFFSET;
  model.regions = {
      {"user", 0, l.TASK_SIZE - 1ULL},
      {"modules", l.MODULES_VADDR, l.MODULES_END - 1ULL},
      {"pkmap", l.PKMAP_BASE, l.PAGE_OFFSET - 1ULL},
      {"lowmem (linear map)", l.PAGE_OFFSET, lowmem_end - 1},
      {"kernel image", boot.input.image.text, boot.input.image.end - 1ULL},
      {"vmalloc", s.VMALLOC_START, l.VMALLOC_END - 1ULL},
      {"fixmap", l.FIXADDR_START, l.FIXADDR_END - 1ULL},
      {"vectors", l.VECTORS_BASE, l.VECTORS_BASE + 2 * 4096ULL - 1},
  };
  add_mappings(model, *boot.mem, boot.pgd(), c.lpae, ptdump_arm(boot).runs);
  add_tables(model, *boot.mem, boot.pgd(), c.lpae);
  for (PhysRange& r : memblock_ranges(*boot.memblock)) {
    model.phys.push_back(std::move(r));
  }
  model.phys = merge_phys(std::move(model.phys));
  aggregate(model);
  return model;
}

}  // namespace ptsim::report::html
