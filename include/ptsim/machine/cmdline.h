// The kernel command line: split into parameters the way Linux does
// (kernel/params.c next_arg: whitespace-separated, "quoted values", a bare
// "--" ends the kernel's part), and the parameters the boot models need
// parsed with Linux 6.1's own rules.
//
//   CommandLine c = parse_command_line("console=ttyAMA0 mem=512M rodata=on nokaslr");
//   if (c.nokaslr) ...;  c.mem[0].size == 512 << 20;  c.rodata == Rodata::on
//
// Each parameter keeps what Linux keeps when it appears twice (the last
// rodata=, kpti=, vmalloc=, ...; every mem= in order, since arm adds a bank
// for each).  A value Linux would reject, warn about, or silently turn into
// nonsense (mem=12Q, rodata=yes, kpti=maybe) is a bad_input naming the
// parameter, the value and the rule.  Parameters not listed here are kept in
// `other` untouched.  Which parameters an architecture honours is the boot
// model's business: arm64 ignores mem='s @start, arm has no rodata=full
// (Linux 6.1 arm warns "Invalid option string for rodata: 'full'").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptsim/machine/machine.h"

namespace ptsim::machine {

// One "name" or "name=value" word.
struct Param {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Param&) const = default;
};

// Models: lib/cmdline.c memparse (v6.1): a number in C notation (0x hex,
// leading-0 octal, decimal) with an optional K/M/G/T/P/E suffix (powers of
// 1024).  Returns the value and sets *used to the characters consumed.
// Unlike Linux, text that does not start with a digit, or a value that
// overflows 64 bits, is bad_input naming `what`.
uint64_t memparse(std::string_view text, size_t* used, std::string_view what);

// mem=size[@start] (arm: arch/arm/kernel/setup.c early_mem; arm64:
// arch/arm64/mm/init.c early_mem, which reads only the size).
struct MemParam {
  uint64_t size = 0;
  std::optional<uint64_t> start;
  bool operator==(const MemParam&) const = default;
};

// rodata= (arch/arm64/include/asm/setup.h arch_parse_debug_rodata, init/main.c
// set_debug_rodata, v6.1).
enum class Rodata { full, on, off };

// crashkernel= (kernel/crash_core.c parse_crashkernel, v6.1), one of:
//   size[@offset]                      simple
//   start-[end]:size[,...][@offset]    by system RAM size
//   size,high  /  size,low
struct CrashKernelRange {
  uint64_t start = 0;
  std::optional<uint64_t> end;  // open-ended when absent
  uint64_t size = 0;
  bool operator==(const CrashKernelRange&) const = default;
};

struct CrashKernel {
  enum class Kind { simple, ranges, high, low };
  Kind kind = Kind::simple;
  uint64_t size = 0;                     // simple, high, low
  std::vector<CrashKernelRange> ranges;  // ranges
  std::optional<uint64_t> offset;        // @offset (simple and ranges)
  bool operator==(const CrashKernel&) const = default;

  // The size to reserve on a machine with `system_ram` bytes of memory
  // (memblock_phys_mem_size()): for ranges, the first entry that holds the
  // RAM size, or 0 when none does or an earlier entry is not smaller than
  // the RAM ("crashkernel: invalid size").
  // Models: kernel/crash_core.c parse_crashkernel_mem (v6.1), selection only.
  uint64_t size_for(uint64_t system_ram) const;
};

// earlycon[=name,[iotype,]address[,options]] (drivers/tty/serial/earlycon.c,
// serial_core.c uart_parse_earlycon).  With no value Linux uses the UART
// /chosen/stdout-path names (Machine::uart).
struct Earlycon {
  bool from_stdout_path = true;  // bare "earlycon"
  std::string name;              // "pl011", "uart8250"
  std::string iotype;            // "mmio32", "io", ... or empty (MMIO)
  std::optional<uint64_t> address;
  std::string options;           // "115200n8"
  bool operator==(const Earlycon&) const = default;
};

struct CommandLine {
  std::string text;         // as given
  std::vector<Param> params;  // every parameter before "--", in order
  std::string init_args;    // what follows "--" (for init)

  std::vector<MemParam> mem;                 // every mem=, in order
  std::optional<uint64_t> vmalloc;           // vmalloc=size (arm)
  std::optional<Range> initrd;               // initrd=start,size (init/do_mounts_initrd.c)
  std::optional<Rodata> rodata;              // last rodata=
  bool nokaslr = false;                      // "nokaslr" anywhere (arm64/kernel/pi/kaslr_early.c uses strstr)
  bool memblock_debug = false;               // memblock= containing "debug" (mm/memblock.c early_memblock)
  std::optional<CrashKernel> crashkernel;    // last plain crashkernel=
  std::optional<CrashKernel> crashkernel_high;  // last crashkernel=...,high
  std::optional<CrashKernel> crashkernel_low;   // last crashkernel=...,low
  std::optional<Earlycon> earlycon;
  std::optional<bool> kpti;                  // kpti= (kstrtobool), forced on or off
  std::vector<Param> other;                  // every parameter not above, in order
  std::vector<std::string> notes;            // values Linux reads but ignores, with why
};

CommandLine parse_command_line(std::string_view text);

// The words of a command line, with Linux's quoting (kernel/params.c
// next_arg); stops at a bare "--", whose remainder goes to *rest.
std::vector<Param> split_command_line(std::string_view text, std::string* rest);

}  // namespace ptsim::machine
