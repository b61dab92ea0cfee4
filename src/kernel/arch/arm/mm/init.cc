// arch/arm/mm/init.c after paging_init: mem_init's layout print,
// free_initmem and the STRICT_KERNEL_RWX section permissions.
#include <fmt/format.h>

#include "kernel/arch/arm/mm/arm_boot_run.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/kernel/arch/arm/pgtable_3level.h"

namespace ptsim::kernel::arm {
namespace {

constexpr uint32_t PAGE_SIZE = 4096;

std::string mlk(const char* name, uint32_t b, uint32_t t) {
  return fmt::format("    {:<8}: 0x{:08x} - 0x{:08x}   ({:4} kB)", name, b, t, (t - b) >> 10);
}

std::string mlm(const char* name, uint32_t b, uint32_t t) {
  return fmt::format("    {:<8}: 0x{:08x} - 0x{:08x}   ({:4} MB)", name, b, t, (t - b) >> 20);
}

// MLK_ROUNDUP with %p: "      .text : 0x%p - 0x%p   (%4td kB)".
std::string mlk_roundup(const char* name, uint32_t b, uint32_t t) {
  return fmt::format("{:>11} : 0x{:08x} - 0x{:08x}   ({:4} kB)", name, b, t,
                     (uint64_t{t} - b + 1023) / 1024);
}

// One section_perm of arch/arm/mm/init.c.
struct section_perm {
  const char* name;
  uint32_t start;
  uint32_t end;
  uint64_t mask;
  uint64_t prot;
};

}  // namespace

std::vector<std::string> mem_init_layout_lines(const ArmBoot& boot) {
  const ArmLayout& l = boot.state.layout;
  const ArmKernelImage& img = boot.input.image;
  std::vector<std::string> lines;
  lines.emplace_back("Virtual kernel memory layout:");
  lines.push_back(mlk("vector", l.VECTORS_BASE, l.VECTORS_BASE + PAGE_SIZE));
  lines.push_back(mlk("fixmap", l.FIXADDR_START, l.FIXADDR_END));
  lines.push_back(mlm("vmalloc", boot.state.VMALLOC_START, l.VMALLOC_END));
  lines.push_back(mlm("lowmem", l.PAGE_OFFSET, boot.state.high_memory));
  if (boot.input.config.highmem) {
    lines.push_back(mlm("pkmap", l.PKMAP_BASE, l.PKMAP_BASE + l.LAST_PKMAP * PAGE_SIZE));
  }
  if (boot.input.config.modules) {
    lines.push_back(mlm("modules", l.MODULES_VADDR, l.MODULES_END));
  }
  lines.push_back(mlk_roundup(".text", img.text, img.etext));
  lines.push_back(mlk_roundup(".init", img.init_begin, img.init_end));
  lines.push_back(mlk_roundup(".data", img.sdata, img.edata));
  lines.push_back(mlk_roundup(".bss", img.bss_start, img.bss_stop));
  return lines;
}

// Models: arch/arm/mm/init.c free_initmem (v6.1): fix_kernmem_perms, then
// the init pages go to the page allocator (the tables do not change).
void ArmBootRun::free_initmem() {
  // CONFIG_ARM_KERNMEM_PERMS arrived in 3.19: a 3.18 kernel leaves the
  // lowmem mapping as paging_init made it.
  if (b_.input.config.strict_kernel_rwx && version() != ArmVersion::v3_18) {
    fix_kernmem_perms();
  }
  const ArmKernelImage& img = b_.input.image;
  trace("free_initmem", fmt::format("Freeing unused kernel image (initmem) memory: {}K",
                                    (img.init_end - img.init_begin) >> 10));
  b_.dmesg.push_back(fmt::format("Freeing unused kernel image (initmem) memory: {}K",
                                 (img.init_end - img.init_begin) >> 10));
}

namespace {

// Models: arch/arm/mm/init.c set_section_perms / section_update (v6.1)
void set_section_perms(ArmBootRun& run, KernelPgtable& pt, const std::vector<section_perm>& perms,
                       const ArmLayout& l) {
  const uint32_t SECTION_SIZE = l.SECTION_SIZE;
  for (const section_perm& p : perms) {
    if ((p.start & (SECTION_SIZE - 1)) != 0 || (p.end & (SECTION_SIZE - 1)) != 0) {
      run.pr("arch/arm/mm/init.c set_section_perms",
             fmt::format("BUG: {} section {:x}-{:x} not aligned to {:x}", p.name, p.start, p.end,
                         SECTION_SIZE));
      continue;
    }
    for (uint32_t addr = p.start; addr < p.end; addr += SECTION_SIZE) {
      phys_addr_t pmdp = pt.pmd_off_k(addr);
      if (!pt.lpae() && (addr & SECTION_SIZE) != 0) {
        pmdp += 4;
      }
      pt.write_pmd(pmdp, (pt.read_pmd(pmdp) & p.mask) | p.prot);
    }
    run.trace("set_section_perms", fmt::format("{} {:#010x}-{:#010x}", p.name, p.start, p.end));
    run.steps().note("set_section_perms",
                     fmt::format("{}: sections {:#010x}-{:#010x} = (entry & ~{:#x}) | {:#x}",
                                 p.name, p.start, p.end, ~p.mask, p.prot));
  }
}

}  // namespace

// Models: arch/arm/mm/init.c fix_kernmem_perms (v6.1): NX for what precedes
// _stext, for init and for rodata.
void ArmBootRun::fix_kernmem_perms() {
  const ArmKernelImage& img = b_.input.image;
  const uint64_t XN = lpae() ? pgtable_3level::PMD_SECT_XN : pgtable_2level::PMD_SECT_XN;
  const uint32_t rodata = img.start_rodata.value_or(img.etext);
  // __start_rodata_section_aligned = ALIGN(__start_rodata, 1 << SECTION_SHIFT)
  const uint32_t rodata_aligned = (rodata + l().SECTION_SIZE - 1) & ~(l().SECTION_SIZE - 1);
  const std::vector<section_perm> nx_perms = {
      {"pre-text NX", l().PAGE_OFFSET, img.stext, ~XN, XN},
      {"init NX", img.init_begin, img.sdata, ~XN, XN},
      {"rodata NX", rodata_aligned, img.init_begin, ~XN, XN},
  };
  set_section_perms(*this, *pt_, nx_perms, l());
}

// Models: arch/arm/mm/init.c mark_rodata_ro (v6.1): text and rodata RX.
void ArmBootRun::mark_rodata_ro() {
  if (!b_.input.config.strict_kernel_rwx || version() == ArmVersion::v3_18) {
    return;
  }
  const ArmKernelImage& img = b_.input.image;
  uint64_t mask = 0;
  uint64_t prot = 0;
  if (lpae()) {
    prot = pgtable_3level::L_PMD_SECT_RDONLY | pgtable_3level::PMD_SECT_AP2;
    mask = ~prot;
  } else {
    prot = pgtable_2level::PMD_SECT_APX | pgtable_2level::PMD_SECT_AP_WRITE;
    mask = ~prot;
  }
  set_section_perms(*this, *pt_, {{"text/rodata RO", img.stext, img.init_begin, mask, prot}},
                    l());
}

}  // namespace ptsim::kernel::arm
