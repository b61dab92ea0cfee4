// SPDX-License-Identifier: GPL-2.0
/*
 * Gives a kernel built with CONFIG_PTDUMP_CORE=y but without
 * CONFIG_PTDUMP_DEBUGFS (Debian 12's arm64 kernel) the debugfs file it
 * lacks: /sys/kernel/debug/kernel_page_tables prints what the kernel's own
 * ptdump_walk() (arch/arm64/mm/ptdump.c) prints for init_mm.  A second file,
 * /sys/kernel/debug/kernel_page_tables_markers, lists the address markers
 * used, one "0xADDR NAME" a line.
 *
 * Neither ptdump_walk() nor init_mm is exported to modules, and
 * kallsyms_lookup_name() is not exported since Linux 5.7: its address is
 * taken from a kprobe placed on it, and it finds ptdump_walk().  init_mm is
 * data, and without CONFIG_KALLSYMS_ALL kallsyms holds no data symbols: its
 * address is the module parameter init_mm_addr, from System.map (the boot
 * uses nokaslr, so System.map's addresses are the running ones).  It is
 * checked: init_mm.pgd must be the table TTBR1_EL1 points to.
 *
 * The kernel's own address_markers[] and kernel_ptdump_info are static and,
 * with no debugfs user, not in kallsyms; the markers are rebuilt here from
 * the same macros arch/arm64/mm/ptdump.c uses, compiled against the same
 * kernel headers, with PAGE_END filled in as ptdump_init() does.  Debian's
 * config has no KASAN, so there are no KASAN shadow markers.
 */
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable.h>
#include <asm/ptdump.h>

#if defined(CONFIG_KASAN_GENERIC) || defined(CONFIG_KASAN_SW_TAGS)
#error "the markers below omit the KASAN shadow range"
#endif

static unsigned long kallsyms_lookup_name_addr;
module_param(kallsyms_lookup_name_addr, ulong, 0400);
MODULE_PARM_DESC(kallsyms_lookup_name_addr,
		 "address of kallsyms_lookup_name (default: found with a kprobe)");

static unsigned long init_mm_addr;
module_param(init_mm_addr, ulong, 0400);
MODULE_PARM_DESC(init_mm_addr, "address of init_mm (System.map; boot with nokaslr)");

typedef unsigned long (*lookup_fn)(const char *name);
typedef void (*walk_fn)(struct seq_file *s, struct ptdump_info *info);

static walk_fn kernel_ptdump_walk;
static struct dentry *dump_file, *markers_file;

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

static struct ptdump_info info = {
	.markers = markers,
	.base_addr = PAGE_OFFSET,
};

static lookup_fn find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (kallsyms_lookup_name_addr)
		return (lookup_fn)kallsyms_lookup_name_addr;
	if (register_kprobe(&kp) < 0)
		return NULL;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return (lookup_fn)addr;
}

static int dump_show(struct seq_file *m, void *v)
{
	kernel_ptdump_walk(m, &info);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dump);

static int markers_show(struct seq_file *m, void *v)
{
	const struct addr_marker *a;

	for (a = markers; a->name; a++)
		seq_printf(m, "0x%016lx %s\n", a->start_address, a->name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(markers);

static int __init ptsim_ptdump_init(void)
{
	lookup_fn lookup = find_lookup();
	unsigned long mm;
	u64 ttbr1, pgd;

	if (!lookup) {
		pr_err("ptsim_ptdump: kallsyms_lookup_name not found\n");
		return -ENOENT;
	}
	kernel_ptdump_walk = (walk_fn)lookup("ptdump_walk");
	mm = init_mm_addr ? init_mm_addr : lookup("init_mm");
	pr_info("ptsim_ptdump: kallsyms_lookup_name %px ptdump_walk %px init_mm %px\n",
		lookup, kernel_ptdump_walk, (void *)mm);
	if (!kernel_ptdump_walk || !mm)
		return -ENOENT;
	info.mm = (struct mm_struct *)mm;
	ttbr1 = read_sysreg(ttbr1_el1) & ~(TTBR_ASID_MASK | TTBR_CNP_BIT);
	pgd = phys_to_ttbr(virt_to_phys(info.mm->pgd));
	pr_info("ptsim_ptdump: TTBR1_EL1 base %llx, init_mm.pgd %px at %llx\n",
		ttbr1, info.mm->pgd, pgd);
	if (ttbr1 != pgd)
		return -EINVAL;
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
MODULE_DESCRIPTION("kernel_page_tables from the kernel's own ptdump_walk()");
