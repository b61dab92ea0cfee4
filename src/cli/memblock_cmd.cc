// `ptsim memblock [SCRIPT|-]`: run a memblock script (see
// include/ptsim/kernel/mm/memblock_script.h for the language).
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "ptsim/error.h"
#include "ptsim/error_context.h"
#include "ptsim/kernel/mm/memblock_script.h"
#include "ptsim/report/memblock_report.h"

namespace ptsim::cli {
namespace {

constexpr const char* kDescription =
    "Run a script of memblock operations against Linux 6.1's memblock; mirrors Linux's "
    "userspace memblock test harness built with NUMA=1";

constexpr const char* kFooter =
    "The memblock it runs mirrors Linux's userspace memblock test harness\n"
    "(tools/testing/memblock) built with `make NUMA=1`: MAX_NUMNODES 16,\n"
    "PAGE_SIZE 4096, 64-bit phys_addr_t, SMP_CACHE_BYTES 32 (an align of 0\n"
    "becomes SMP_CACHE_BYTES; --smp-cache-bytes changes it, as the boot flows\n"
    "use their architecture's value).\n"
    "\n"
    "One operation per line, fields separated by white space, '#' starts a comment:\n"
    "  reset | add BASE SIZE | add_node BASE SIZE NID [FLAGS]\n"
    "  remove | reserve | free BASE SIZE\n"
    "  mark_nomap | clear_nomap | mark_hotplug | clear_hotplug | mark_mirror BASE SIZE\n"
    "  set_node BASE SIZE NID | bottom_up 0|1 | set_current_limit LIMIT | allow_resize\n"
    "  movable_node 0|1 | mirrored_kernelcore 0|1\n"
    "  alloc SIZE ALIGN | alloc_range SIZE ALIGN MIN MAX | alloc_nid SIZE ALIGN NID\n"
    "  alloc_try_nid | alloc_try_nid_raw | alloc_exact_nid_raw SIZE ALIGN MIN MAX NID\n"
    "  mem_limit_remove_map LIMIT | cap_memory_range BASE SIZE\n"
    "  enforce_memory_limit LIMIT | trim_memory ALIGN | dump\n"
    "Numbers are decimal or 0x-hex (a NID may be negative); ANYWHERE, ACCESSIBLE,\n"
    "NOLEAKTRACE, NUMA_NO_NODE, MAX_NUMNODES and the MEMBLOCK_* flag names stand\n"
    "for their values.\n"
    "\n"
    "Output: 'alloc -> 0x...' per allocation (0x0 on failure), 'error: OP -> RC',\n"
    "'warn: COND' when a WARN_ON fires, 'BUG: COND' where Linux stops, and the\n"
    "region dump after each 'dump' and once at the end.\n"
    "Exit: 0; 3 on a malformed line (named by its number); 4 if Linux would BUG.\n"
    "Example:\n"
    "  printf 'add 0x40000000 0x40000000\\nreserve 0x40200000 0x1800000\\nalloc 0x1000 0x1000\\n' "
    "| ptsim memblock -\n"
    "  printf 'add 0x40000000 0x40000000\\nreserve 0x40200000 0x1800000\\n' | ptsim memblock - "
    "--json";

struct MemblockArgs {
  std::string script = "-";
  uint64_t smp_cache_bytes = 32;
  int phys_addr_bits = 64;
  bool no_numa = false;
  bool trace = false;
  bool json = false;
};

// --json: the script's output lines and the arrays it left (schema
// ptsim.memblock/1, docs/json.md).
nlohmann::ordered_json memblock_json(const kernel::MemblockScriptResult& result,
                                     const std::string& output) {
  nlohmann::ordered_json j;
  j["schema"] = "ptsim.memblock/1";
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  j["output"] = lines;
  j["memory"] = report::memblock_regions_json(result.memory, true);
  j["reserved"] = report::memblock_regions_json(result.reserved, true);
  if (!result.stopped_by.empty()) {
    j["stopped_by"] = result.stopped_by;
  }
  return j;
}

void run(const MemblockArgs& args) {
  kernel::MemblockScriptOptions options;
  options.smp_cache_bytes = args.smp_cache_bytes;
  options.phys_addr_bits = args.phys_addr_bits;
  options.numa = !args.no_numa;
  if (args.trace) {
    options.trace = &std::cerr;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (args.script != "-") {
    file.open(args.script);
    if (!file) {
      throw cannot_open("memblock script", args.script);
    }
    in = &file;
  }
  kernel::MemblockScriptResult result;
  std::ostringstream text;  // the script's output, for --json
  try {
    result = kernel::run_memblock_script(*in, args.json ? text : std::cout, options);
  } catch (const Error& e) {
    throw in_source(e, args.script == "-" ? "standard input" : args.script);
  }
  if (args.json) {
    std::cout << memblock_json(result, text.str()).dump(1) << "\n";
  }
  std::cout.flush();
  if (!result.stopped_by.empty()) {
    throw Error(ErrorKind::linux_panic, "memblock script stopped: " + result.stopped_by);
  }
}

const bool registered = register_command([](CLI::App& app) {
  auto args = std::make_shared<MemblockArgs>();
  CLI::App* cmd = app.add_subcommand("memblock", kDescription);
  cmd->footer(kFooter);
  cmd->add_option("script", args->script, "script file, or - for standard input")
      ->capture_default_str();
  cmd->add_option("--smp-cache-bytes", args->smp_cache_bytes,
                  "SMP_CACHE_BYTES, the alignment an align of 0 becomes")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--phys-addr-bits", args->phys_addr_bits,
                  "width of phys_addr_t: 64 (the harness), or 32 as on arm without LPAE")
      ->capture_default_str()
      ->check(CLI::IsMember({32, 64}));
  cmd->add_flag("--no-numa", args->no_numa,
                "build without CONFIG_NUMA (MAX_NUMNODES 1, every nid 0), as arm does");
  cmd->add_flag("--trace", args->trace,
                "print memblock=debug lines (memblock_add: [...] CALLER) to standard error");
  cmd->add_flag("--json", args->json,
                "the output lines and the final memory and reserved arrays as JSON (schema "
                "ptsim.memblock/1)");
  cmd->callback([args] { run(*args); });
});

}  // namespace
}  // namespace ptsim::cli
