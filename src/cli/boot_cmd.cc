// ptsim boot: run a Linux boot model and print its reports.  --arch arm64
// (the default) runs the arm64 model; --arch arm the 32-bit one
// (cli/boot_arm_options.h, report/arm_boot_report.h).
#include <unistd.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/boot_arm_options.h"
#include "cli/command.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/parse.h"
#include "ptsim/report/arm64_boot_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm64";
  std::string machine;
  std::string dtb;
  std::string ram;
  std::string page_size = "4K";
  unsigned va_bits = 48;
  std::string cmdline;
  bool cmdline_given = false;
  std::string symbols;
  std::string load_address;
  std::string dtb_address;
  std::string stage;  // default: final on arm64, paging_init on arm
  std::string kaslr_seed;
  std::vector<std::string> kconfig;
  bool layout = false;
  bool memblock = false;
  bool ptdump = false;
  bool trace = false;
  bool json = false;
  BootArmExtra arm;
};

void run_arm(const Options& o) {
  report::BootArmOptions a;
  a.machine = o.machine;
  a.dtb = o.dtb;
  if (!o.ram.empty()) {
    a.ram = parse_size(o.ram, "--ram");
  }
  if (o.cmdline_given) {
    a.cmdline = o.cmdline;
  }
  a.kernel_symbols = o.symbols;
  a.stage = o.stage.empty() ? "paging_init" : o.stage;
  a.layout = o.layout;
  a.memblock = o.memblock;
  a.ptdump = o.ptdump;
  a.trace = o.trace;
  a.json = o.json;
  run_boot_arm_command(a, o.arm);
}

// Large machines take seconds: say how far paging_init has got, on stderr,
// once a second has passed, and only when stderr is a terminal.
std::function<void(uint64_t)> progress_on_terminal() {
  if (::isatty(STDERR_FILENO) == 0) {
    return {};
  }
  const auto start = std::chrono::steady_clock::now();
  return [start](uint64_t pages) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(1)) {
      std::cerr << fmt::format("\rptsim: paging_init: {} table pages allocated", pages) << std::flush;
    }
  };
}

void run_arm64(const Options& o) {
  machine::Arm64BootRequest req;
  req.machine.preset = o.machine;
  req.machine.dtb = o.dtb;
  if (!o.ram.empty()) {
    req.machine.ram = parse_size(o.ram, "--ram");
  }
  if (o.cmdline_given) {
    req.cmdline = o.cmdline;
  }
  req.symbols_file = o.symbols;
  if (!o.load_address.empty()) {
    req.text_pa = parse_u64(o.load_address, "--load-address");
  }
  if (!o.dtb_address.empty()) {
    req.dtb_pa = parse_u64(o.dtb_address, "--dtb-address");
  }
  kernel::arm64::KernelConfig config;
  config.page_shift = kernel::parse_page_size(o.page_size);
  config.va_bits = o.va_bits;
  kernel::arm64_geometry(config.page_shift, config.va_bits);  // refuses what Kconfig does not offer
  req.page_shift = config.page_shift;
  req.va_bits = config.va_bits;
  for (const std::string& option : o.kconfig) {
    kernel::arm64::apply_kconfig(config, option);
  }
  kernel::arm64::BootInputs inputs = machine::prepare_arm64_boot(req);
  if (!o.kaslr_seed.empty()) {
    inputs.fdt.kaslr_seed = parse_u64(o.kaslr_seed, "--kaslr-seed");  // as /chosen/kaslr-seed
  }
  kernel::arm64::Arm64Kernel k(config, kernel::arm64::CpuFeatures{}, std::move(inputs));
  k.set_tracing(o.trace || o.json);  // only those reports show the trace
  k.set_progress(progress_on_terminal());
  k.boot(o.stage == "paging_init" ? kernel::arm64::BootStage::paging_init : kernel::arm64::BootStage::final);

  if (o.json) {
    std::cout << report::arm64_boot_json(k).dump(1) << "\n";
    return;
  }
  const bool any = o.layout || o.memblock || o.ptdump || o.trace;
  std::cout << report::arm64_boot_summary(k);
  if (o.layout) {
    std::cout << "\n" << report::arm64_layout_text(k);
  }
  if (o.memblock) {
    std::cout << "\n" << report::memblock_debugfs_text(k.memblock());
  }
  if (o.trace) {
    std::cout << "\n" << report::arm64_boot_trace(k);
  }
  if (o.ptdump || !any) {
    std::cout << "\n" << report::arm64_boot_ptdump(k);
  }
}

const bool registered_default = register_default_job([] { run_arm64(Options{}); });

const bool registered = register_command([](CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("boot", "Run Linux's boot and show the page tables it builds");
  cmd->footer(
      "With no machine given, boots the built-in QEMU virt machine (1 GiB at 0x40000000) with Debian 12's\n"
      "6.1 arm64 kernel layout, 4K pages, 48-bit VA, rodata=full, nokaslr: this is `make run`.\n"
      "Examples:\n"
      "  ptsim boot --layout\n"
      "  ptsim boot --machine virt --ram 4G --cmdline \"nokaslr rodata=on mem=2G\" --ptdump\n"
      "  ptsim boot --dtb virt.dtb --kernel-symbols System.map --stage paging_init --trace\n"
      "  ptsim boot --page-size 64K --va-bits 42 --json\n"
      "  ptsim boot --arch arm --profile 4.3 --layout\n"
      "  ptsim boot --arch arm --machine virt --ram 2G --ptdump --memblock\n"
      "  ptsim boot --arch arm --machine rpi2 --lpae --stage final --json");
  cmd->add_option("--arch", o->arch, "arm64 (default) or arm (32-bit)")->check(CLI::IsMember({"arm64", "arm"}));
  cmd->add_option("--machine", o->machine, "built-in machine: virt (arm64); virt-arm, vexpress-a9, rpi2 (arm)");
  cmd->add_option("--dtb", o->dtb, "device tree blob file");
  cmd->add_option("--ram", o->ram, "RAM size of a built-in machine (e.g. 2G)");
  cmd->add_option("--page-size", o->page_size, "4K, 16K or 64K");
  cmd->add_option("--va-bits", o->va_bits, "VA_BITS Linux 6.1 allows for the page size");
  cmd->add_option("--cmdline", o->cmdline, "kernel command line (default: the DTB's bootargs, or nokaslr)")
      ->each([o](const std::string&) { o->cmdline_given = true; });
  cmd->add_option("--kernel-symbols", o->symbols, "System.map or /proc/kallsyms of the kernel");
  cmd->add_option("--load-address", o->load_address, "physical address of _text (default RAM base + 2 MiB)");
  cmd->add_option("--dtb-address", o->dtb_address, "physical address of the DTB");
  cmd->add_option("--stage", o->stage, "paging_init or final (default: final on arm64, paging_init on arm)")
      ->check(CLI::IsMember({"paging_init", "final"}));
  cmd->add_option("--kaslr-seed", o->kaslr_seed,
                  "arm64: /chosen/kaslr-seed (KASLR needs a command line without nokaslr)");
  cmd->add_option("--kconfig", o->kconfig, "arm64: NAME=y|n, e.g. UNMAP_KERNEL_AT_EL0=n (repeatable)");
  cmd->add_flag("--layout", o->layout, "the memory layout (Documentation/arm64/memory.rst)");
  cmd->add_flag("--memblock", o->memblock, "memblock in /sys/kernel/debug/memblock format");
  cmd->add_flag("--ptdump", o->ptdump, "swapper_pg_dir as /sys/kernel/debug/kernel_page_tables");
  cmd->add_flag("--trace", o->trace, "every table page, mapping, fixmap slot and memblock call, in order");
  cmd->add_flag("--json", o->json, "everything as JSON");
  add_boot_arm_options(cmd, o->arm);
  cmd->callback([o] {
    if (o->arch == "arm") {
      run_arm(*o);
      return;
    }
    run_arm64(*o);
  });
});

}  // namespace
}  // namespace ptsim::cli
