// ptsim walk: follow virtual addresses through arm64 tables in simulated
// memory, level by level.  The default job (no command) is a walk of three
// addresses of the built-in linear map.
#include <iostream>
#include <memory>
#include <vector>

#include "cli/command.h"
#include "ptsim/hw/mem_image.h"
#include "ptsim/kernel/arch/arm64/linear_map.h"
#include "ptsim/kernel/arch/arm64/pgtable.h"
#include "ptsim/parse.h"
#include "ptsim/report/linear_map_report.h"
#include "ptsim/report/walk_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string page_size = "4K";
  unsigned va_bits = 48;
  std::vector<std::string> mem;
  std::string root;
  bool blocks = false;
  bool json = false;
  std::vector<std::string> vas;
};

// Loads each FILE@PA image as a RAM bank of its own size.
void load_images(hw::PhysMem& mem, const std::vector<std::string>& images) {
  for (const std::string& spec : images) {
    hw::load_raw_image_spec(mem, spec);
  }
}

void print_walks(const kernel::Geometry& g, const hw::PhysMem& mem, uint64_t root,
                 const std::vector<uint64_t>& vas, bool json) {
  for (uint64_t va : vas) {
    const auto request = kernel::arm64::hw_walk_request(g, root, va);
    const auto result = hw::arm64::walk(mem, request, va);
    if (json) {
      std::cout << report::walk_json(g, request, va, result).dump() << "\n";
    } else {
      std::cout << report::walk_text(g, request, va, result) << "\n";
    }
  }
}


const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("walk", "Walk virtual addresses through arm64 translation tables");
  cmd->footer(
      "Without --mem the tables are the built-in linear map of 1 GiB at 0x40000000\n"
      "(the default job), built for --page-size/--va-bits.\n"
      "Examples:\n"
      "  ptsim walk 0xffff000000200000\n"
      "  ptsim walk --page-size 64K --va-bits 42 --blocks 0xfffffc0000000000\n"
      "  ptsim walk --mem ram.bin@0x40000000 --root 0x41fa0000 0xffff800008000000");
  cmd->add_option("--page-size", opts->page_size, "4K, 16K or 64K");
  cmd->add_option("--va-bits", opts->va_bits, "VA_BITS (a value Linux 6.1 allows with the page size)");
  cmd->add_option("--mem", opts->mem, "raw memory image FILE@PA (repeatable)");
  cmd->add_option("--root", opts->root, "physical address of the pgd (with --mem)");
  cmd->add_flag("--blocks", opts->blocks, "built-in map: allow block/contiguous entries (rodata=on)");
  cmd->add_flag("--json", opts->json, "one JSON object per address");
  cmd->add_option("va", opts->vas, "virtual addresses (hex or decimal)");
  cmd->callback([opts] {
    const kernel::Geometry g =
        kernel::arm64_geometry(kernel::parse_page_size(opts->page_size), opts->va_bits);
    std::vector<uint64_t> vas;
    for (const std::string& v : opts->vas) {
      vas.push_back(parse_u64(v, "virtual address"));
    }
    if (!opts->mem.empty()) {
      if (opts->root.empty()) {
        throw usage_error(
            "--mem needs --root, the physical address of the pgd (fix: e.g. --root 0x40000000)");
      }
      if (vas.empty()) {
        throw usage_error("give at least one virtual address to walk");
      }
      hw::PhysMem mem;
      load_images(mem, opts->mem);
      print_walks(g, mem, parse_u64(opts->root, "--root"), vas, opts->json);
      return;
    }
    kernel::arm64::LinearMapSpec spec;
    spec.page_shift = g.page_shift;
    spec.va_bits = g.va_bits;
    spec.rodata_full = !opts->blocks;
    const kernel::arm64::LinearMap lm = kernel::arm64::build_linear_map(spec);
    if (vas.empty()) {
      vas = {lm.virt_start, lm.virt_start + spec.ram_size - 1};
    }
    print_walks(lm.geometry, lm.mem, lm.pgdir, vas, opts->json);
  });
});

}  // namespace
}  // namespace ptsim::cli
