// ptsim machine: print what ptsim reads from a machine's inputs (device
// tree or built-in machine, command line, kernel symbols), so a user can
// check it before booting.
#include <iostream>

#include "cli/command.h"
#include "ptsim/machine/cmdline.h"
#include "ptsim/machine/inputs.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/machine/presets.h"
#include "ptsim/parse.h"
#include "ptsim/report/machine_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string preset;
  std::string dtb;
  std::string ram;
  std::optional<std::string> cmdline;
  std::string kernel_symbols;
  std::string kernel_image;
  std::string write_dtb;
  bool list = false;
  bool json = false;
};

void list_presets() {
  for (const auto& p : machine::machine_presets()) {
    std::cout << fmt::format("machine {:<12} {}\n", p.name, p.description);
  }
  for (const auto& p : machine::kernel_image_presets()) {
    std::cout << fmt::format("kernel-image {:<22} {}\n", p.name, p.description);
  }
}

void run(const Options& o) {
  if (o.list) {
    list_presets();
    return;
  }
  machine::MachineChoice choice{o.preset, o.dtb, std::nullopt};
  if (!o.ram.empty()) {
    choice.ram = parse_size(o.ram, "--ram");
  }
  report::MachineInputs in;
  in.machine = machine::load_machine(choice);
  in.preset = machine::chosen_preset(choice);
  if (!o.write_dtb.empty()) {
    machine::write_dtb_file(in.machine, o.write_dtb);
  }
  if (o.cmdline) {
    in.cmdline = machine::parse_command_line(*o.cmdline);
    in.cmdline_origin = "--cmdline";
  } else if (in.machine.chosen.bootargs) {
    in.cmdline = machine::parse_command_line(*in.machine.chosen.bootargs);
    in.cmdline_origin = "/chosen bootargs";
  }
  if (const auto image = machine::load_image_layout(o.kernel_symbols, o.kernel_image)) {
    if (const auto* a64 = std::get_if<machine::Arm64ImageLayout>(&*image)) {
      in.arm64_image = *a64;
    } else {
      in.arm_image = std::get<machine::ArmImageLayout>(*image);
    }
  }
  if (o.json) {
    std::cout << report::machine_json(in).dump(2) << "\n";
    return;
  }
  std::cout << report::machine_text(in);
}

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "machine", "Show what ptsim reads from a device tree, command line and kernel symbols");
  cmd->footer(
      "Without --dtb or --machine the built-in QEMU virt (arm64) machine is shown.\n"
      "The command line is --cmdline, else the device tree's /chosen bootargs.\n"
      "Examples:\n"
      "  ptsim machine --machine vexpress-a9\n"
      "  ptsim machine --dtb board.dtb --cmdline \"mem=512M rodata=on nokaslr\" --json\n"
      "  ptsim machine --kernel-symbols System.map\n"
      "  ptsim machine --machine rpi2 --write-dtb rpi2.dtb\n"
      "  ptsim machine --list");
  auto* preset = cmd->add_option("--machine", opts->preset, "built-in machine (see --list)");
  auto* dtb = cmd->add_option("--dtb", opts->dtb, "device tree blob to read");
  preset->excludes(dtb);
  cmd->add_option("--ram", opts->ram, "RAM of the built-in machine's first bank, e.g. 4G");
  cmd->add_option("--cmdline", opts->cmdline, "kernel command line");
  cmd->add_option("--kernel-symbols", opts->kernel_symbols, "System.map or /proc/kallsyms file");
  cmd->add_option("--kernel-image", opts->kernel_image,
                  "built-in kernel image layout (see --list)");
  cmd->add_option("--write-dtb", opts->write_dtb,
                  "also write the machine as a device tree blob to this file");
  cmd->add_flag("--list", opts->list, "list the built-in machines and kernel image layouts");
  cmd->add_flag("--json", opts->json, "print JSON");
  cmd->callback([opts] { run(*opts); });
});

}  // namespace
}  // namespace ptsim::cli
