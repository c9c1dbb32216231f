/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform description: everything ftvisor learns about the machine from the device
 * tree the firmware passes in x0. Built once at boot by platform_discover() (pure logic,
 * also compiled on the host for unit tests and fuzzing), then read-only.
 */
#ifndef FTVISOR_PLATFORM_PLATFORM_H
#define FTVISOR_PLATFORM_PLATFORM_H

#include "lib/compiler.h"

#define PLAT_MAX_MEM_BANKS 16
#define PLAT_MAX_RESERVED 32
#define PLAT_MAX_USABLE 48
#define PLAT_MAX_CPUS 64
#define PLAT_MAX_GICR_REGIONS 8
#define PLAT_NAME_LEN 64

struct mem_range {
	uint64_t base;
	uint64_t size;
};

enum psci_method { PSCI_NONE = 0, PSCI_SMC, PSCI_HVC };

/* Why a region is kept away from the frame allocator. */
enum reserved_kind {
	RSV_MEMRESERVE,	    /* /memreserve/ entry of the FDT header */
	RSV_RESERVED_MEMORY, /* a /reserved-memory child with reg */
	RSV_BOARD,	    /* a board quirk (e.g. firmware runtime memory) */
};

struct reserved_range {
	uint64_t base;
	uint64_t size;
	enum reserved_kind kind;
};

/*
 * Core type of a CPU, from its cpu node's compatible. VMs whose vCPUs must look alike (same
 * MIDR, same caches) keep to one type; the E2000 mixes FTC310 and FTC664 cores.
 */
enum plat_core_type {
	CORE_UNKNOWN = 0,	/* a compatible not in the table below (or none) */
	CORE_FTC310,		/* "phytium,ftc310": E2000 little core */
	CORE_FTC664,		/* "phytium,ftc664": E2000Q big core */
	CORE_FTC663,		/* "phytium,ftc663": FT-2000/4, D2000 */
	CORE_CORTEX_A53,	/* "arm,cortex-a53" */
	CORE_CORTEX_A57,	/* "arm,cortex-a57" */
	CORE_CORTEX_A72,	/* "arm,cortex-a72" (QEMU virt with -cpu cortex-a72) */
};

/* MIDR_EL1 fields that name the core model: implementer, architecture, part number. */
#define PLAT_MIDR_MODEL_MASK 0xff0ffff0U

struct plat_cpu {
	uint64_t mpidr; /* affinity fields only (Aff3..Aff0), from the cpu node's reg */
	enum plat_core_type core;	/* from compatible; CORE_UNKNOWN if not in the table */
	/*
	 * The MIDR_EL1 this core type was seen to report (variant and revision included), 0 if
	 * unknown. Other steppings may differ in variant/revision: compare under
	 * PLAT_MIDR_MODEL_MASK.
	 */
	uint32_t midr;
	char compatible[32];		/* first compatible string of the cpu node, "" if none */
};

struct plat_gic {
	uint32_t version;		/* 3 when an "arm,gic-v3" node was found, else 0 */
	uint64_t gicd_base, gicd_size;
	uint32_t n_gicr;		/* redistributor regions (#redistributor-regions) */
	struct mem_range gicr[PLAT_MAX_GICR_REGIONS];
	uint64_t gicr_stride;		/* "redistributor-stride", 0 = architectural default */
	uint32_t maintenance_intid;	/* from the node's interrupts (PPI n -> INTID 16+n), 25 default */
};

struct plat_uart {
	bool present;
	char compatible[32];	/* first compatible string, e.g. "arm,pl011" */
	uint64_t base, size;
	uint32_t clock_hz;	/* from clocks -> clock-frequency, or clock-frequency, 0 if unknown */
	uint32_t baud;		/* from stdout-path options ("serial1:115200n8"), 0 if none */
	uint32_t intid;		/* first interrupt as an INTID (SPI n -> 32+n), 0 if none */
};

struct plat_timer {
	uint32_t freq_hz;	/* /timer clock-frequency, 0 when absent (use CNTFRQ_EL0) */
	uint32_t expected_hz;	/* freq_hz, or the board port's frequency when the tree has none */
	uint32_t intid_sec_phys, intid_phys, intid_virt, intid_hyp_phys; /* INTIDs, 0 if absent */
};

struct board; /* platform/board.h */

struct platform {
	char model[PLAT_NAME_LEN];	/* /model, or empty */
	char compatible[PLAT_NAME_LEN]; /* first string of the root compatible */
	const struct board *board;	/* chosen by the root compatible; never NULL (generic fallback) */

	/*
	 * RAM banks: the /memory nodes, merged, sorted by base, then clipped to the board port's
	 * DRAM windows (a placeholder node can cover flash or holes: never RAM). Equal to
	 * tree_mem on ports without windows.
	 */
	uint32_t n_mem;
	struct mem_range mem[PLAT_MAX_MEM_BANKS];
	uint32_t n_tree_mem;		/* the /memory nodes as the tree says (merged, sorted) */
	struct mem_range tree_mem[PLAT_MAX_MEM_BANKS];
	uint32_t n_reserved;		/* sorted by base, may overlap each other */
	struct reserved_range reserved[PLAT_MAX_RESERVED];
	uint32_t n_usable;		/* mem minus reserved, sorted, page (4 KiB) aligned, non-empty */
	struct mem_range usable[PLAT_MAX_USABLE];

	uint32_t n_cpus;		/* in device-tree order of /cpus/cpu@* with device_type "cpu" */
	struct plat_cpu cpus[PLAT_MAX_CPUS];

	struct plat_gic gic;
	struct plat_uart uart;		/* the console: /chosen/stdout-path, through /aliases */
	struct plat_timer timer;
	enum psci_method psci;
	uint32_t psci_cpu_on;		/* function ID: "cpu_on" property (PSCI 0.1) or 0xC4000003 */

	char bootargs[256];		/* /chosen/bootargs, truncated, always terminated */
};

enum plat_error {
	PLAT_OK = 0,
	PLAT_EBADTREE = -1,	/* not a valid flattened device tree (header, bounds, structure) */
	PLAT_ENOMEM = -2,	/* no usable memory bank (none, or none inside the DRAM windows) */
	PLAT_ENOCPU = -3,	/* no cpu node with a valid reg */
	PLAT_ETOOMANY = -4,	/* more banks/CPUs/regions than the limits above */
};

/*
 * Parse the flattened device tree at dtb (at most max_size bytes may be read; the header's
 * totalsize must fit). Never trusts an offset or length from the blob. On failure returns a
 * negative plat_error and writes a one-line reason into err (may be NULL).
 */
int platform_discover(const void *dtb, size_t max_size, struct platform *out, char *err,
		      size_t err_len);

/* Index of the CPU with this MPIDR (affinity bits compared), or -1. */
int platform_cpu_index(const struct platform *p, uint64_t mpidr);

#define MPIDR_AFFINITY_MASK 0xff00ffffffULL

/* Short name of a core type ("ftc310", ..., "unknown"). */
const char *platform_core_name(enum plat_core_type t);

/*
 * Do CPUs a and b (indexes into p->cpus) have the same core type? Known types compare by
 * type; unknown ones by their cpu node compatible (both empty: assumed alike). Out of range:
 * false.
 */
bool platform_cpus_same_type(const struct platform *p, uint32_t a, uint32_t b);

#endif
