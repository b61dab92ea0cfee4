#include "cli/boot_arm64_options.h"

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/parse.h"

namespace ptsim::cli {

void add_boot_arm64_options(CLI::App* cmd, BootArm64Options& o) {
  cmd->add_option("--machine", o.machine,
                  "built-in machine: virt (arm64); virt-arm, vexpress-a9, rpi2 (arm)");
  cmd->add_option("--dtb", o.dtb, "device tree blob file");
  cmd->add_option("--ram", o.ram, "RAM size of a built-in machine (e.g. 2G)");
  cmd->add_option("--page-size", o.page_size, "4K, 16K or 64K");
  cmd->add_option("--va-bits", o.va_bits, "VA_BITS Linux 6.1 allows for the page size");
  BootArm64Options* p = &o;
  cmd->add_option("--cmdline", o.cmdline,
                  "kernel command line (default: the DTB's bootargs, or nokaslr)")
      ->each([p](const std::string&) { p->cmdline_given = true; });
  cmd->add_option("--kernel-symbols", o.symbols, "System.map or /proc/kallsyms of the kernel");
  cmd->add_option("--load-address", o.load_address,
                  "physical address of _text (default RAM base + 2 MiB)");
  cmd->add_option("--dtb-address", o.dtb_address, "physical address of the DTB");
  cmd->add_option("--kaslr-seed", o.kaslr_seed,
                  "arm64: /chosen/kaslr-seed (KASLR needs a command line without nokaslr)");
  cmd->add_option("--kconfig", o.kconfig,
                  "arm64: NAME=y|n, e.g. UNMAP_KERNEL_AT_EL0=n (repeatable)");
  cmd->add_option("--max-table-memory", o.max_table_memory,
                  "arm64: refuse up front a machine whose page tables could need more than this "
                  "(default 1G; see Limits below)");
}

BootArm64Options parse_boot_arm64_options(const std::string& text, const std::string& what) {
  BootArm64Options o;
  CLI::App app(what);
  add_boot_arm64_options(&app, o);
  try {
    app.parse(text, false);  // CLI11 splits the string as a shell would, quotes included
  } catch (const CLI::ParseError& e) {
    throw usage_error(fmt::format("{} \"{}\": {}", what, text, e.what()));
  }
  return o;
}

std::unique_ptr<kernel::arm64::Arm64Kernel> make_arm64_kernel(const BootArm64Options& o) {
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
  const uint64_t max_table_bytes = o.max_table_memory.empty()
                                       ? kernel::arm64::Arm64Kernel::kDefaultMaxTableBytes
                                       : parse_size(o.max_table_memory, "--max-table-memory");
  kernel::arm64::BootInputs inputs = machine::prepare_arm64_boot(req);
  if (!o.kaslr_seed.empty()) {
    inputs.fdt.kaslr_seed = parse_u64(o.kaslr_seed, "--kaslr-seed");  // as /chosen/kaslr-seed
  }
  auto kernel = std::make_unique<kernel::arm64::Arm64Kernel>(config, kernel::arm64::CpuFeatures{},
                                                             std::move(inputs));
  kernel->set_max_table_bytes(max_table_bytes);
  return kernel;
}

}  // namespace ptsim::cli
