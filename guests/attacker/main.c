/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attacker: tries to read, write and execute memory that is not its own (the hypervisor's
 * image, other VMs' RAM, host devices, unmapped IPAs). Every attempt must fault inside this
 * VM: a data abort (EC 0x25) or an instruction abort (EC 0x21) with FAR = the address.
 * Needs the `introspection` flag (FTV_TEST_ADDR) and RAM away from the physical addresses
 * it probes (the system test gives it RAM at IPA 4 GiB). MMU off: VA = IPA, so every probe
 * reaches stage 2.
 */
#include "guest.h"

#define MAX_TARGETS 48
#define PAGE 4096UL
#define UART_IPA 0x09000000UL
#define TESTDEV_IPA 0x0a000000UL
#define WRITE_PATTERN 0x41545441434b2121UL	/* "ATTACK!!" */
#define INSN_RET 0xd65f03c0u

struct target {
	char what[24];
	uint64_t addr;
	bool exec;
};

static struct target targets[MAX_TARGETS];
static unsigned int nr_targets;
static uint64_t ram_base, ram_size;

static bool overlaps(uint64_t a, uint64_t base, uint64_t size)
{
	return a + 8 > base && a < base + size;
}

static void add_target(const char *what, uint64_t addr, bool exec)
{
	struct target *t;

	/* Addresses this VM may legitimately access prove nothing. */
	if (overlaps(addr, ram_base, ram_size) || overlaps(addr, UART_IPA, PAGE) ||
	    overlaps(addr, TESTDEV_IPA, PAGE)) {
		printf("attacker: skipping %s 0x%lx: mapped in this VM\n", what, addr);
		return;
	}
	if (nr_targets == MAX_TARGETS)
		return;
	t = &targets[nr_targets++];
	ft_strlcpy(t->what, what, sizeof(t->what));
	t->addr = addr;
	t->exec = exec;
}

/* PASS when exactly the expected abort was taken at the target. */
static void judge(const char *name, const struct target *t, unsigned int faults,
		  const struct fault_info *fi, uint64_t want_ec, uint64_t value)
{
	uint64_t ec = ESR_EC(fi->esr);

	if (!faults)
		test_fail(name, "%s 0x%lx: no fault (value 0x%lx)", t->what, t->addr, value);
	else if (ec != want_ec || fi->far != t->addr)
		test_fail(name, "%s 0x%lx: ESR=0x%lx (EC 0x%lx, want 0x%lx) FAR=0x%lx ELR=0x%lx",
			  t->what, t->addr, fi->esr, ec, want_ec, fi->far, fi->elr);
	else
		test_pass(name, "%s 0x%lx ESR=0x%lx", t->what, t->addr, fi->esr);
}

static void attack_read(const struct target *t)
{
	struct fault_info fi;
	uint64_t v = 0;
	unsigned int n;

	fault_arm(FAULT_SKIP);
	asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(t->addr) : "memory");
	n = fault_disarm(&fi);
	judge("attack-read", t, n, &fi, EC_DABT_CUR, v);
}

static void attack_write(const struct target *t)
{
	struct fault_info fi;
	unsigned int n;

	fault_arm(FAULT_SKIP);
	asm volatile("str %0, [%1]" :: "r"(WRITE_PATTERN), "r"(t->addr) : "memory");
	n = fault_disarm(&fi);
	judge("attack-write", t, n, &fi, EC_DABT_CUR, WRITE_PATTERN);
}

/*
 * Branch-and-link to addr: the fetch must fault, and the handler resumes at the return
 * address blr left in x30 (ELR + 4 would be past the target, not back here).
 */
static unsigned int call_address(uint64_t addr, struct fault_info *fi)
{
	fault_arm(FAULT_RETURN);
	asm volatile("blr %0" :: "r"(addr)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "x30", "cc", "memory");
	return fault_disarm(fi);
}

static void attack_exec(const struct target *t)
{
	struct fault_info fi;
	unsigned int n = call_address(t->addr, &fi);

	judge("attack-exec", t, n, &fi, EC_IABT_CUR, 0);
}

/* The same accesses on this VM's own RAM must just work (the probes are not broken). */
static void control_own_ram(void)
{
	uint64_t addr = ram_base + ram_size - PAGE, v = 0;
	struct fault_info fi;
	unsigned int n;

	fault_arm(FAULT_SKIP);
	asm volatile("str %1, [%2]\n\tldr %0, [%2]" : "+r"(v) : "r"(WRITE_PATTERN), "r"(addr)
		     : "memory");
	n = fault_disarm(&fi);
	if (n)
		test_fail("attack-control-own-ram", "0x%lx faulted: ESR=0x%lx FAR=0x%lx", addr,
			  fi.esr, fi.far);
	else
		test_result(v == WRITE_PATTERN, "attack-control-own-ram",
			    "0x%lx wrote 0x%lx read 0x%lx", addr, WRITE_PATTERN, v);

	/* A `ret` placed in own RAM runs and returns: the exec probe itself works. */
	*(volatile uint32_t *)addr = INSN_RET;
	asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" :: "r"(addr)
		     : "memory");
	n = call_address(addr, &fi);
	if (n)
		test_fail("attack-control-own-exec", "0x%lx faulted: ESR=0x%lx FAR=0x%lx", addr,
			  fi.esr, fi.far);
	else
		test_pass("attack-control-own-exec", "0x%lx", addr);
}

/* An SMC the hypervisor does not trap is UNDEFINED at EL1 (no EL3) or reaches firmware. */
static uint64_t guarded_call(bool smc, uint64_t fid, const char **error)
{
	struct fault_info fi;
	uint64_t r;

	fault_arm(FAULT_SKIP);
	r = smc ? smccc_smc(fid, 0, 0, 0, NULL) : smccc_hvc(fid, 0, 0, 0, NULL);
	if (fault_disarm(&fi)) {
		*error = "faulted";
		printf("attacker: %s 0x%lx faulted: ESR=0x%lx ELR=0x%lx\n", smc ? "SMC" : "HVC",
		       fid, fi.esr, fi.elr);
	}
	return r;
}

static void check_calls(const struct ftv_vm_info *info)
{
	const char *error = NULL;
	uint64_t sip = guarded_call(true, 0xc2000002, &error);
	uint64_t vendor_smc = guarded_call(true, 0xc6001234, &error);
	uint64_t vendor_hvc = guarded_call(false, 0xc6001234, &error);
	uint64_t absent = info->nr_vcpus < MAX_VCPUS ? info->nr_vcpus : MAX_VCPUS - 1;
	int64_t r;

	test_result(!error && sip == SMCCC_NOT_SUPPORTED && vendor_smc == SMCCC_NOT_SUPPORTED &&
		    vendor_hvc == SMCCC_NOT_SUPPORTED, "attack-unknown-calls",
		    "SMC SiP 0xc2000002 = %ld, SMC 0xc6001234 = %ld, HVC 0xc6001234 = %ld%s",
		    (int64_t)sip, (int64_t)vendor_smc, (int64_t)vendor_hvc,
		    error ? " (a call faulted)" : "");

	r = psci_cpu_on(absent, psci_secondary_entry(), 0);
	test_result(r == PSCI_INVALID_PARAMS, "attack-cpu-on-absent",
		    "CPU_ON(%lu) = %ld (this VM has %lu vCPU(s))", absent, r, info->nr_vcpus);
}

void main(void *dtb)
{
	struct ftv_vm_info info;
	uint64_t hyp_pa, vm, end;
	bool first_other = true;
	unsigned int i;

	guest_init("attacker", dtb);
	if (!dtb_ram(&ram_base, &ram_size)) {
		test_fail("attack-setup", "no /memory range in the device tree");
		test_done();
	}
	end = ram_base + ram_size;
	if (!ftv_vm_info(&info)) {
		test_fail("attack-setup", "FTV_VM_INFO failed");
		test_done();
	}
	printf("attacker: VM %lu of %lu, %lu vCPU(s), RAM 0x%lx-0x%lx\n", info.id, info.nr_vms,
	       info.nr_vcpus, ram_base, end);

	add_target("zero", 0, true);
	/* Its own virtual GIC is at 0x08000000 (GICD, 64 KiB) and 0x080a0000 (one GICR frame
	 * pair per vCPU): the gap between them and the frames past its last vCPU are nothing. */
	add_target("gic-gap", 0x08010000, false);
	add_target("gicr-beyond", 0x080a0000 + 0x20000 * info.nr_vcpus, false);
	add_target("uart-next", UART_IPA + PAGE, false);
	add_target("testdev-next", TESTDEV_IPA + PAGE, false);
	add_target("ram-end", end, false);
	add_target("ram-end+1g", end + GiB(1), false);
	add_target("ipa-top", 0xfffffff000UL, false);

	hyp_pa = ftv_test_addr(FTV_TEST_HYP_PA, 0);
	if (hyp_pa == FTV_ERROR)
		test_fail("attack-setup", "FTV_TEST_ADDR refused (no introspection flag?)");
	else
		add_target("hypervisor", hyp_pa, true);

	for (vm = 0; hyp_pa != FTV_ERROR && vm < info.nr_vms; vm++) {
		uint64_t base, size;
		char what[24];

		if (vm == info.id)
			continue;
		base = ftv_test_addr(FTV_TEST_VM_RAM_BASE, vm);
		size = ftv_test_addr(FTV_TEST_VM_RAM_SIZE, vm);
		if (base == FTV_ERROR || size == FTV_ERROR || size < PAGE) {
			test_fail("attack-setup", "FTV_TEST_ADDR for VM %lu: base 0x%lx size 0x%lx",
				  vm, base, size);
			continue;
		}
		printf("attacker: VM %lu RAM at PA 0x%lx size 0x%lx\n", vm, base, size);
		ft_snprintf(what, sizeof(what), "vm%lu-first", vm);
		add_target(what, base, first_other);
		ft_snprintf(what, sizeof(what), "vm%lu-last", vm);
		add_target(what, base + size - PAGE, false);
		first_other = false;
	}

	control_own_ram();
	for (i = 0; i < nr_targets; i++) {
		attack_read(&targets[i]);
		attack_write(&targets[i]);
		if (targets[i].exec)
			attack_exec(&targets[i]);
	}
	check_calls(&info);
	test_done();
}
