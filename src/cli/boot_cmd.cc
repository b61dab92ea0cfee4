// ptsim boot: run a Linux boot model and print its reports.  --arch arm64
// (the default) runs the arm64 model; --arch arm the 32-bit one
// (cli/boot_arm_options.h, report/arm_boot_report.h).

#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/boot_arm64_options.h"
#include "cli/boot_arm_options.h"
#include "cli/command.h"
#include "cli/html_output.h"
#include "cli/progress.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/parse.h"
#include "ptsim/report/arm64_boot_report.h"
#include "ptsim/report/html/arm64_map.h"
#include "ptsim/report/html/page.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm64";
  BootArm64Options boot;  // the arm boot uses its --machine, --dtb, --ram, --cmdline, --kernel-symbols
  std::string stage;  // default: final on arm64, paging_init on arm
  bool layout = false;
  bool memblock = false;
  bool ptdump = false;
  bool trace = false;
  bool json = false;
  std::string html;  // --html FILE
  BootArmExtra arm;
};

void run_arm(const Options& o) {
  report::BootArmOptions a = arm_boot_options(o.boot, o.arm);
  a.stage = o.stage.empty() ? "paging_init" : o.stage;
  a.layout = o.layout;
  a.memblock = o.memblock;
  a.ptdump = o.ptdump;
  a.trace = o.trace;
  a.json = o.json;
  run_boot_arm_command(a, o.arm, o.html);
}

void run_arm64(const Options& o) {
  const auto kernel = make_arm64_kernel(o.boot);
  kernel::arm64::Arm64Kernel& k = *kernel;
  k.set_tracing(o.trace || o.json);  // only those reports show the trace
  // Large machines take seconds: say how far paging_init has got.
  k.set_progress(progress_on_terminal("paging_init", "table pages allocated"));
  k.boot(o.stage == "paging_init" ? kernel::arm64::BootStage::paging_init : kernel::arm64::BootStage::final);

  if (!o.html.empty()) {
    write_html_file(o.html, report::html::map_html(report::html::arm64_map_model(k)));
  }
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
      "With no machine given, boots the built-in QEMU virt machine (1 GiB at 0x40000000) with "
      "Debian 12's\n"
      "6.1 arm64 kernel layout, 4K pages, 48-bit VA, rodata=full, nokaslr: this is `make run`.\n"
      "Examples:\n"
      "  ptsim boot --layout\n"
      "  ptsim boot --machine virt --ram 4G --cmdline \"nokaslr rodata=on mem=2G\" --ptdump\n"
      "  ptsim boot --dtb virt.dtb --kernel-symbols System.map --stage paging_init --trace\n"
      "  ptsim boot --page-size 64K --va-bits 42 --json\n"
      "  ptsim boot --arch arm --profile 4.3 --layout\n"
      "  ptsim boot --arch arm --machine virt --ram 2G --ptdump --memblock\n"
      "  ptsim boot --arch arm --machine rpi2 --lpae --stage final --json\n"
      "  ptsim boot --html map.html\n"
      "  ptsim boot --arch arm --lpae --html map.html\n"
      "Limits (docs/limits.md):\n"
      "  arm64: before paging_init, the tables the boot could allocate are estimated\n"
      "  (the linear map of all RAM, page by page with rodata=full, plus the image and\n"
      "  the idmap); above --max-table-memory (default 1G: about 128 Mi entries to write\n"
      "  and 1 GiB of host memory) the boot is refused, exit 3, before any is allocated.\n"
      "  E.g. a DTB with 256 TiB, --page-size 64K --va-bits 52: the 128 TiB the linear\n"
      "  map holds need 16 GiB of tables page by page: refused; with rodata=on they take\n"
      "  37 table pages (2.3 MiB).  RAM beyond PA_BITS or the linear map is dropped, as\n"
      "  Linux drops it.\n"
      "  arm: only lowmem (under 1 GiB with VMSPLIT_3G) is mapped, with sections, so the\n"
      "  tables stay a few pages; with --lpae a DTB may give RAM up to 1 TiB (40-bit PA).");
  cmd->add_option("--arch", o->arch, "arm64 (default) or arm (32-bit)")->check(CLI::IsMember({"arm64", "arm"}));
  add_boot_arm64_options(cmd, o->boot);
  cmd->add_option("--stage", o->stage, "paging_init or final (default: final on arm64, paging_init on arm)")
      ->check(CLI::IsMember({"paging_init", "final"}));
  cmd->add_flag("--layout", o->layout, "the memory layout (Documentation/arm64/memory.rst)");
  cmd->add_flag("--memblock", o->memblock, "memblock in /sys/kernel/debug/memblock format");
  cmd->add_flag("--ptdump", o->ptdump, "swapper_pg_dir as /sys/kernel/debug/kernel_page_tables");
  cmd->add_flag("--trace", o->trace, "every table page, mapping, fixmap slot and memblock call, in order");
  cmd->add_flag("--json", o->json, "everything as JSON");
  add_html_option(cmd, o->html);
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
