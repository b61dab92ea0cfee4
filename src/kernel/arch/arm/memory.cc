#include "ptsim/kernel/arch/arm/memory.h"

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim::kernel::arm {
namespace {

constexpr uint32_t SZ_1M = 1u << 20;
constexpr uint32_t SZ_16M = 16u << 20;
constexpr uint32_t PAGE_SIZE = 4096;

}  // namespace

const char* to_string(ArmVersion v) {
  switch (v) {
    case ArmVersion::v3_18:
      return "3.18";
    case ArmVersion::v4_3:
      return "4.3";
    case ArmVersion::v4_14:
      return "4.14";
    case ArmVersion::v6_1:
      return "6.1";
  }
  return "?";
}

ArmVersion parse_arm_version(std::string_view text) {
  if (text == "3.18" || text == "3.x" || text == "3") {
    return ArmVersion::v3_18;
  }
  if (text == "4.3") {
    return ArmVersion::v4_3;
  }
  if (text == "4.14" || text == "4.x" || text == "4") {
    return ArmVersion::v4_14;
  }
  if (text == "6.1" || text == "6") {
    return ArmVersion::v6_1;
  }
  throw usage_error(fmt::format(
      "unknown arm kernel profile '{}': the model has 3.18 and 4.3 (VMALLOC_END 0xff000000), 4.14 and 6.1",
      text));
}

unsigned parse_vmsplit(std::string_view text) {
  if (text == "3G" || text == "3") {
    return 3;
  }
  if (text == "2G" || text == "2") {
    return 2;
  }
  if (text == "1G" || text == "1") {
    return 1;
  }
  throw usage_error(fmt::format("unknown VMSPLIT '{}': arm offers 3G, 2G and 1G", text));
}

ArmLayout arm_layout(const ArmConfig& config) {
  ArmLayout l;
  // Models: arch/arm/Kconfig PAGE_OFFSET (v6.1): VMSPLIT_3G 0xC0000000,
  // VMSPLIT_2G 0x80000000, VMSPLIT_1G 0x40000000 (the _3G_OPT and LPAE
  // variants of Kconfig use the same values for these three).
  switch (config.vmsplit_user_gib) {
    case 3:
      l.PAGE_OFFSET = 0xc0000000;
      break;
    case 2:
      l.PAGE_OFFSET = 0x80000000;
      break;
    case 1:
      l.PAGE_OFFSET = 0x40000000;
      break;
    default:
      throw usage_error(fmt::format("VMSPLIT of {} GiB user space is not an arm choice (3, 2, 1)",
                                    config.vmsplit_user_gib));
  }
  l.KERNEL_OFFSET = l.PAGE_OFFSET;

  // pgtable-2level.h / pgtable-3level.h
  if (config.lpae) {
    l.PMD_SHIFT = 21;
    l.PGDIR_SHIFT = 30;
    l.SECTION_SHIFT = 21;
    l.PTRS_PER_PGD = 4;
    l.PTRS_PER_PMD = 512;
    // head.S: PG_DIR_SIZE 0x5000 (pgd page + 4 pmd pages); mmu.c:
    // SWAPPER_PG_DIR_SIZE = PAGE_SIZE + PTRS_PER_PGD * PTRS_PER_PMD * 8.
    l.PG_DIR_SIZE = 0x5000;
    l.SWAPPER_PG_DIR_SIZE = PAGE_SIZE + l.PTRS_PER_PGD * l.PTRS_PER_PMD * 8;
  } else {
    l.PMD_SHIFT = 21;
    l.PGDIR_SHIFT = 21;
    l.SECTION_SHIFT = 20;
    l.PTRS_PER_PGD = 2048;
    l.PTRS_PER_PMD = 1;
    l.PG_DIR_SIZE = 0x4000;
    l.SWAPPER_PG_DIR_SIZE = l.PTRS_PER_PGD * 8;
  }
  l.PMD_SIZE = 1u << l.PMD_SHIFT;
  l.SECTION_SIZE = 1u << l.SECTION_SHIFT;

  // memory.h: TASK_SIZE = PAGE_OFFSET - SZ_16M; TASK_UNMAPPED_BASE =
  // ALIGN(TASK_SIZE / 3, SZ_16M); MODULES_VADDR = PAGE_OFFSET - SZ_16M
  // (ARM-mode kernel); MODULES_END = PAGE_OFFSET - PMD_SIZE with HIGHMEM.
  l.TASK_SIZE = l.PAGE_OFFSET - SZ_16M;
  l.TASK_UNMAPPED_BASE = (l.TASK_SIZE / 3 + SZ_16M - 1) & ~(SZ_16M - 1);
  l.MODULES_VADDR = l.PAGE_OFFSET - SZ_16M;
  l.MODULES_END = config.highmem ? l.PAGE_OFFSET - l.PMD_SIZE : l.PAGE_OFFSET;
  // highmem.h: PKMAP_BASE = PAGE_OFFSET - PMD_SIZE, LAST_PKMAP = PTRS_PER_PTE.
  l.PKMAP_BASE = l.PAGE_OFFSET - l.PMD_SIZE;
  l.LAST_PKMAP = l.PTRS_PER_PTE;

  switch (config.version) {
    case ArmVersion::v3_18:
      // pgtable.h (v3.18): VMALLOC_END 0xff000000UL.  fixmap.h (3.15 to
      // 3.18): FIXADDR_START 0xffc00000, FIXADDR_END 0xffe00000.
      l.VMALLOC_END = 0xff000000;
      l.FIXADDR_START = 0xffc00000;
      l.FIXADDR_END = 0xffe00000;
      break;
    case ArmVersion::v4_3:
      // pgtable.h (v4.3): still 0xff000000UL; fixmap.h: 0xffc00000-0xfff00000.
      l.VMALLOC_END = 0xff000000;
      l.FIXADDR_START = 0xffc00000;
      l.FIXADDR_END = 0xfff00000;
      break;
    case ArmVersion::v4_14:
      // pgtable.h (v4.14): VMALLOC_END 0xff800000UL; fixmap.h: the 3 MiB
      // fixmap 0xffc00000-0xfff00000.
      l.VMALLOC_END = 0xff800000;
      l.FIXADDR_START = 0xffc00000;
      l.FIXADDR_END = 0xfff00000;
      break;
    case ArmVersion::v6_1:
      // pgtable.h (v6.1): VMALLOC_END 0xff800000UL; fixmap.h:
      // FIXADDR_START 0xffc80000, FIXADDR_END 0xfff00000; memory.h:
      // FDT_FIXED_BASE 0xff800000, FDT_FIXED_SIZE 2 * SECTION_SIZE.
      l.VMALLOC_END = 0xff800000;
      l.FIXADDR_START = 0xffc80000;
      l.FIXADDR_END = 0xfff00000;
      l.FDT_FIXED_BASE = 0xff800000;
      l.FDT_FIXED_SIZE = 2 * l.SECTION_SIZE;
      break;
  }
  l.FIXADDR_TOP = l.FIXADDR_END - PAGE_SIZE;
  static_assert(SZ_1M == 1u << 20);
  return l;
}

}  // namespace ptsim::kernel::arm
