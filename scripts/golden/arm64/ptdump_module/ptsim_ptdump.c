// SPDX-License-Identifier: GPL-2.0
/*
 * Gives a kernel built with its ptdump core but without the ptdump debugfs
 * file (Debian 12's arm64 kernel: CONFIG_PTDUMP_CORE=y, no
 * CONFIG_PTDUMP_DEBUGFS; its armmp kernels: CONFIG_ARM_PTDUMP_CORE=y, no
 * CONFIG_ARM_PTDUMP_DEBUGFS) the file it lacks:
 * /sys/kernel/debug/kernel_page_tables prints what the kernel's own walker
 * prints for init_mm -- ptdump_walk() of arch/arm64/mm/ptdump.c, or
 * ptdump_walk_pgd() of arch/arm/mm/dump.c.  A second file,
 * /sys/kernel/debug/kernel_page_tables_markers, lists the address markers
 * used, one "0xADDR NAME" a line.
 *
 * The walker is not exported to modules, and neither is
 * kallsyms_lookup_name() (since Linux 5.7): its address is taken from a
 * kprobe placed on it, and it finds the walker.  init_mm is data, and
 * without CONFIG_KALLSYMS_ALL kallsyms holds no data symbols: its address is
 * the module parameter init_mm_addr, from System.map (valid: arm64 boots
 * with nokaslr, arm is not relocated).  It is checked: on arm64 init_mm.pgd
 * must be the table TTBR1_EL1 points to; on arm it must be the parameter
 * swapper_pg_dir_addr, also from System.map.
 *
 * The kernel's own address_markers[] and kernel_ptdump_info are static and,
 * with no debugfs user, not in kallsyms; the markers are rebuilt here from
 * the macros the kernel's file uses, compiled against the same kernel
 * headers, with the run-time entries filled in as ptdump_init() (arm64:
 * PAGE_END) and ptdump_initialize() (arm: VMALLOC_START) fill them.
 */
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/ptdump.h>

#if defined(CONFIG_KASAN)
#error "the markers below omit the KASAN shadow range"
#endif

static unsigned long init_mm_addr;
module_param(init_mm_addr, ulong, 0400);
MODULE_PARM_DESC(init_mm_addr, "address of init_mm (System.map)");

typedef unsigned long (*lookup_fn)(const char *name);
typedef void (*walk_fn)(struct seq_file *s, struct ptdump_info *info);

static walk_fn kernel_walk;
static struct dentry *dump_file, *markers_file;

#ifdef CONFIG_ARM64
#include <asm/mmu.h>

#define WALKER "ptdump_walk"
#define ADDR_FMT "0x%016lx %s\n"

static struct addr_marker markers[] = {
	{ PAGE_OFFSET, "Linear Mapping start" },
	{ PAGE_END, "Linear Mapping end" },
	{ MODULES_VADDR, "Modules start" },
	{ MODULES_END, "Modules end" },
	{ VMALLOC_START, "vmalloc() area" },
	{ VMALLOC_END, "vmalloc() end" },
	{ FIXADDR_START, "Fixmap start" },
	{ FIXADDR_TOP, "Fixmap end" },
	{ PCI_IO_START, "PCI I/O start" },
	{ PCI_IO_END, "PCI I/O end" },
	{ VMEMMAP_START, "vmemmap start" },
	{ VMEMMAP_START + VMEMMAP_SIZE, "vmemmap end" },
	{ -1, NULL },
};

static unsigned long dump_base(void)
{
	return PAGE_OFFSET;
}

static int check_pgd(struct mm_struct *mm)
{
	u64 ttbr1 = read_sysreg(ttbr1_el1) & ~(TTBR_ASID_MASK | TTBR_CNP_BIT);
	u64 pgd = phys_to_ttbr(virt_to_phys(mm->pgd));

	pr_info("ptsim_ptdump: TTBR1_EL1 base %llx, init_mm.pgd %px at %llx\n",
		ttbr1, mm->pgd, pgd);
	return ttbr1 == pgd ? 0 : -EINVAL;
}
#else /* CONFIG_ARM */
#define WALKER "ptdump_walk_pgd"
#define ADDR_FMT "0x%08lx %s\n"

static unsigned long swapper_pg_dir_addr;
module_param(swapper_pg_dir_addr, ulong, 0400);
MODULE_PARM_DESC(swapper_pg_dir_addr, "address of swapper_pg_dir (System.map)");

enum { VMALLOC_MARKER = 2 };
static struct addr_marker markers[] = {
	{ MODULES_VADDR, "Modules" },
	{ PAGE_OFFSET, "Kernel Mapping" },
	{ 0 /* VMALLOC_START */, "vmalloc() Area" },
	{ FDT_FIXED_BASE, "FDT Area" },
	{ FIXADDR_START, "Fixmap Area" },
	{ VECTORS_BASE, "Vectors" },
	{ VECTORS_BASE + PAGE_SIZE * 2, "Vectors End" },
	{ -1, NULL },
};

static unsigned long dump_base(void)
{
	return 0;
}

static int check_pgd(struct mm_struct *mm)
{
	pr_info("ptsim_ptdump: init_mm.pgd %px swapper_pg_dir %px\n", mm->pgd,
		(void *)swapper_pg_dir_addr);
	if ((unsigned long)mm->pgd != swapper_pg_dir_addr)
		return -EINVAL;
	markers[VMALLOC_MARKER].start_address = VMALLOC_START;
	return 0;
}
#endif

static struct ptdump_info info = {
	.markers = markers,
};

static lookup_fn find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return NULL;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return (lookup_fn)addr;
}

static int dump_show(struct seq_file *m, void *v)
{
	kernel_walk(m, &info);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dump);

static int markers_show(struct seq_file *m, void *v)
{
	const struct addr_marker *a;

	for (a = markers; a->name; a++)
		seq_printf(m, ADDR_FMT, a->start_address, a->name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(markers);

static int __init ptsim_ptdump_init(void)
{
	lookup_fn lookup = find_lookup();
	int err;

	if (!lookup) {
		pr_err("ptsim_ptdump: kallsyms_lookup_name not found\n");
		return -ENOENT;
	}
	kernel_walk = (walk_fn)lookup(WALKER);
	info.mm = (struct mm_struct *)init_mm_addr;
	info.base_addr = dump_base();
	pr_info("ptsim_ptdump: kallsyms_lookup_name %px " WALKER " %px init_mm %px\n",
		lookup, kernel_walk, info.mm);
	if (!kernel_walk || !info.mm)
		return -ENOENT;
	err = check_pgd(info.mm);
	if (err)
		return err;
	dump_file = debugfs_create_file("kernel_page_tables", 0400, NULL, &info,
					&dump_fops);
	markers_file = debugfs_create_file("kernel_page_tables_markers", 0400,
					   NULL, NULL, &markers_fops);
	return 0;
}

static void __exit ptsim_ptdump_exit(void)
{
	debugfs_remove(markers_file);
	debugfs_remove(dump_file);
}

module_init(ptsim_ptdump_init);
module_exit(ptsim_ptdump_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kernel_page_tables from the kernel's own ptdump walker");
