// ptsim ptdump: the arm64 translation tables found in a memory image, printed
// as Linux prints /sys/kernel/debug/kernel_page_tables.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/html_output.h"
#include "cli/mmu_options.h"
#include "ptsim/hw/arch/arm64/translate.h"
#include "ptsim/parse.h"
#include "ptsim/report/arm64_mappings.h"
#include "ptsim/report/html/arm64_map.h"
#include "ptsim/report/html/arm_map.h"
#include "ptsim/report/html/page.h"
#include "ptsim/report/ptdump_arm.h"
#include "ptsim/report/ptdump_arm64.h"

namespace ptsim::cli {
namespace {

struct Options {
  MmuOptions mmu;
  bool ttbr0 = false;
  std::vector<std::string> markers;
  std::string html;  // --html FILE
  bool json = false;
};

std::vector<report::AddrMarker> parse_markers(const std::vector<std::string>& specs) {
  std::vector<report::AddrMarker> markers;
  for (const std::string& m : specs) {
    const auto eq = m.find('=');
    if (eq == std::string::npos) {
      throw usage_error(fmt::format(
          "--marker '{}' must be ADDR=NAME (fix: e.g. --marker 0xffff800008000000=Kernel)", m));
    }
    markers.push_back({parse_u64(m.substr(0, eq), "marker address"), m.substr(eq + 1)});
  }
  return markers;
}

report::PtdumpArm64Input dump_input(const hw::arm64::Regime& regime, bool upper,
                                    const std::vector<std::string>& marker_specs) {
  const hw::arm64::VaRange& r = regime.range(upper);
  report::PtdumpArm64Input in;
  in.format = r.format;
  in.va_bits = r.ia_bits;
  in.upper = upper;
  in.pgd = r.table_base;
  in.start = upper ? ~uint64_t{0} << r.ia_bits : 0;
  if (upper) {
    in.markers = report::arm64_linear_map_markers(r.ia_bits);
  } else {
    in.markers = {{0, "User space"}};
  }
  if (!marker_specs.empty()) {
    in.markers = parse_markers(marker_specs);
  }
  return in;
}

// --json (schema ptsim.ptdump/1, docs/json.md): per table dumped, its
// root, the merged mapping runs and the ptdump text lines.
nlohmann::ordered_json ptdump_json(const std::string& ttbr, uint64_t root,
                                   const nlohmann::json& mappings,
                                   const std::vector<std::string>& lines) {
  nlohmann::ordered_json j;
  j["schema"] = "ptsim.ptdump/1";
  j["tables"][ttbr] = {
      {"root", fmt::format("{:#x}", root)}, {"mappings", mappings}, {"lines", lines}};
  return j;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// The arm64 dump of one range as ptdump_json's entry.
nlohmann::ordered_json arm64_table_json(const hw::PhysMem& mem, const hw::arm64::Regime& regime,
                                        bool upper, const std::vector<std::string>& markers) {
  const report::PtdumpArm64Input in = dump_input(regime, upper, markers);
  const hw::arm64::WalkRequest req = hw::arm64::walk_request(regime, upper ? ~uint64_t{0} : 0, {});
  const auto names =
      report::arm64_level_names(hw::arm64::start_level(req.format.granule, req.ia_bits));
  return {{"root", fmt::format("{:#x}", req.table_base.value())},
          {"mappings", report::arm64_mapping_runs(mem, req, names)},
          {"lines", split_lines(report::ptdump_arm64(mem, in))}};
}

// The arm dump walks the table TTBR0 points to as Linux's pgd: it must cover
// the whole 4 GiB (TTBCR.N = 0, or T0SZ = 0 with LPAE), as Linux sets it.
void dump_armv7(const Options& opts) {
  const hw::arm::Regime regime = hw::arm::Regime::from_registers(opts.mmu.armv7_registers());
  const hw::arm::VaRange& r = regime.range(false);
  if (regime.lpae() ? r.ia_bits != 32 : regime.ttbcr_n() != 0) {
    throw bad_input(fmt::format(
        "ptdump --arch armv7 walks TTBR0's table as the whole pgd: TTBCR {:#x} gives it {} (Linux "
        "sets TTBCR.N = 0, or T0SZ = 0 with LPAE)",
        opts.mmu.armv7_registers().ttbcr,
        regime.lpae() ? fmt::format("a {}-bit range", r.ia_bits)
                      : fmt::format("N = {}", regime.ttbcr_n())));
  }
  hw::PhysMem mem;
  opts.mmu.load(mem);
  report::ArmPtdumpInput in;
  if (opts.markers.empty()) {
    in = report::arm_ptdump_input_from_memory(mem, r.table_base.value(), regime.lpae());
  } else {
    in.pgd = r.table_base.value();
    in.lpae = regime.lpae();
    in.markers = parse_markers(opts.markers);
  }
  const report::ArmPtdump dump = report::ptdump_arm(mem, in);
  if (!opts.html.empty()) {
    write_html_file(opts.html, report::html::map_html(report::html::arm_image_map_model(mem, in)));
  }
  if (opts.json) {
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (const report::ArmMappingRun& run : dump.runs) {
      nlohmann::ordered_json j = {{"va_start", fmt::format("{:#010x}", run.va_start)},
                                  {"va_end", fmt::format("{:#010x}", run.va_end)},
                                  {"pa_start", fmt::format("{:#x}", run.pa_start)},
                                  {"level", run.level},
                                  {"attrs", run.attrs}};
      if (!run.domain.empty()) {
        j["domain"] = run.domain;
      }
      runs.push_back(j);
    }
    std::cout << ptdump_json("TTBR0", r.table_base.value(), runs, dump.lines).dump(1) << "\n";
    return;
  }
  for (const std::string& line : dump.lines) {
    std::cout << line << "\n";
  }
}

// The map of --html: TTBR1_EL1's tables (and TTBR0_EL1's with --ttbr0)
// with the TTBR1 markers.
std::string map_page(const hw::PhysMem& mem, const hw::arm64::Regime& regime, const Options& o) {
  std::vector<report::html::Arm64ImageRoot> roots;
  roots.push_back({"TTBR1_EL1", hw::arm64::walk_request(regime, ~uint64_t{0}, {})});
  if (o.ttbr0) {
    roots.push_back({"TTBR0_EL1", hw::arm64::walk_request(regime, 0, {})});
  }
  const auto markers = dump_input(regime, true, o.markers).markers;
  return report::html::map_html(report::html::arm64_image_map_model(mem, roots, markers));
}

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "ptdump", "Print arm64 or arm translation tables from a memory image in Linux ptdump format");
  cmd->footer(
      "Walks the table TTBR1_EL1 points to (and TTBR0_EL1's with --ttbr0) as Linux's\n"
      "kernel_page_tables does.  Markers default to Linux's linear-map start and end;\n"
      "give the others (modules, vmalloc, fixmap, ...) with --marker ADDR=NAME, in order.\n"
      "Examples:\n"
      "  ptsim ptdump --mem guest.core --reg TTBR1_EL1=0x41fa0000 --reg TCR_EL1=0x35b5503510\n"
      "  ptsim ptdump --mem ram.bin@0x40000000 --reg TTBR1_EL1=0x41fa0000 --reg "
      "TCR_EL1=0x35b5503510 --html map.html\n"
      "With --arch armv7 the table TTBR0 points to is dumped as arch/arm/mm/dump.c prints it,\n"
      "with Linux 6.1's VMSPLIT_3G markers unless --marker gives them:\n"
      "  ptsim ptdump --arch armv7 --mem guest.core --reg TTBR0=0x40004000");
  opts->mmu.add_to(cmd);
  cmd->add_flag("--ttbr0", opts->ttbr0, "also dump the TTBR0_EL1 range, after TTBR1_EL1's");
  cmd->add_option("--marker", opts->markers,
                  "ADDR=NAME address marker (repeatable, replaces the defaults)")
      ->allow_extra_args(false);
  add_html_option(cmd, opts->html);
  cmd->add_flag("--json", opts->json,
                "each table's root, mapping runs and ptdump lines as JSON (schema ptsim.ptdump/1)");
  cmd->callback([opts] {
    if (opts->mmu.armv7()) {
      dump_armv7(*opts);
      return;
    }
    const hw::arm64::Regime regime = hw::arm64::Regime::from_registers(opts->mmu.registers());
    hw::PhysMem mem;
    opts->mmu.load(mem);
    if (opts->json) {
      nlohmann::ordered_json j;
      j["schema"] = "ptsim.ptdump/1";
      j["tables"]["TTBR1_EL1"] = arm64_table_json(mem, regime, true, opts->markers);
      if (opts->ttbr0) {
        j["tables"]["TTBR0_EL1"] = arm64_table_json(mem, regime, false, {});
      }
      std::cout << j.dump(1) << "\n";
    } else {
      std::cout << report::ptdump_arm64(mem, dump_input(regime, true, opts->markers));
      if (opts->ttbr0) {
        std::cout << report::ptdump_arm64(mem, dump_input(regime, false, {}));
      }
    }
    if (!opts->html.empty()) {
      write_html_file(opts->html, map_page(mem, regime, *opts));
    }
  });
});

}  // namespace
}  // namespace ptsim::cli
