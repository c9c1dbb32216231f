/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kvmref: the smallest KVM/arm64 VMM that runs ftvisor's bare-metal guests (the `make bench`
 * reference, issue 8). Usage: kvmref IMAGE DTB [NVCPUS]
 *
 * One memory slot (256 MiB at IPA 0x40000000), the arm64 Image at RAM + 2 MiB (as QEMU
 * places it), the DTB at RAM base; an in-kernel vGICv3 (GICD 0x08000000, GICR 0x080a0000)
 * and the in-kernel arch timer; 2 vCPUs with PSCI 0.2 (vCPU 1 starts powered off, PSCI
 * CPU_ON is handled by KVM), each on its own thread. Userspace emulates only:
 *   - a PL011 at 0x09000000: DR writes go to stdout (line-buffered), FR reads 0 (TX never
 *     full), everything else reads 0 and ignores writes;
 *   - the test device ("ftvisor,test-mmio") at 0x0a000000: offset 0 reads the ID 0x46545644
 *     ("FTVD", docs/guest-abi.md), other offsets read 0.
 * The VMM exits on PSCI SYSTEM_OFF/RESET (KVM_EXIT_SYSTEM_EVENT) or once the guest printed a
 * line containing BENCH-DONE. Exit status: 0 on those, 1 on errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (256ULL << 20)
#define IMAGE_OFFSET 0x200000ULL
#define DTB_OFFSET 0x0ULL
#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL
#define UART_BASE 0x09000000ULL
#define UART_SIZE 0x1000ULL
#define TESTDEV_BASE 0x0a000000ULL
#define TESTDEV_SIZE 0x1000ULL
#define TESTDEV_ID 0x46545644U
#define MAX_VCPUS 8

#define CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
		     KVM_REG_ARM_CORE_REG(x))

static int vm_fd, nr_vcpus = 2;
static int vcpu_fd[MAX_VCPUS];
static struct kvm_run *vcpu_run[MAX_VCPUS];
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static char line[4096];
static size_t line_len;
static uint64_t exits_mmio, exits_other;

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fflush(stdout);
	fprintf(stderr, "kvmref: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, e ? ": %s\n" : "\n", strerror(e));
	exit(1);
}

static void finish(const char *why)
{
	fflush(stdout);
	fprintf(stderr, "kvmref: %s (%llu MMIO exits, %llu other)\n", why,
		(unsigned long long)exits_mmio, (unsigned long long)exits_other);
	exit(0);
}

static void uart_putc(char c)
{
	int done = 0;

	pthread_mutex_lock(&out_lock);
	if (c == '\r') {
		pthread_mutex_unlock(&out_lock);
		return;
	}
	if (c == '\n') {
		line[line_len] = 0;
		fwrite(line, 1, line_len, stdout);
		fputc('\n', stdout);
		fflush(stdout);
		done = strstr(line, "BENCH-DONE") != NULL;
		line_len = 0;
	} else if (line_len < sizeof(line) - 1) {
		line[line_len++] = c;
	}
	pthread_mutex_unlock(&out_lock);
	if (done)
		finish("guest printed BENCH-DONE");
}

static uint64_t mmio_read(uint64_t addr, unsigned len)
{
	(void)len;
	if (addr >= UART_BASE && addr < UART_BASE + UART_SIZE)
		return 0; /* FR (0x18) = 0: TX FIFO never full, RX empty bit clear is harmless */
	if (addr == TESTDEV_BASE)
		return TESTDEV_ID;
	return 0;
}

static void mmio_write(uint64_t addr, unsigned len, uint64_t val)
{
	(void)len;
	if (addr == UART_BASE)
		uart_putc((char)(val & 0xff));
}

static void *vcpu_thread(void *arg)
{
	int i = (int)(intptr_t)arg;
	struct kvm_run *run = vcpu_run[i];

	for (;;) {
		if (ioctl(vcpu_fd[i], KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("vCPU %d: KVM_RUN", i);
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO: {
			uint64_t v = 0;

			__atomic_fetch_add(&exits_mmio, 1, __ATOMIC_RELAXED);
			if (run->mmio.is_write) {
				memcpy(&v, run->mmio.data, run->mmio.len);
				mmio_write(run->mmio.phys_addr, run->mmio.len, v);
			} else {
				v = mmio_read(run->mmio.phys_addr, run->mmio.len);
				memcpy(run->mmio.data, &v, run->mmio.len);
			}
			break;
		}
		case KVM_EXIT_SYSTEM_EVENT:
			finish(run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ?
			       "guest: PSCI SYSTEM_OFF" : "guest: PSCI SYSTEM_RESET or other system event");
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_FAIL_ENTRY:
			errno = 0;
			die("vCPU %d: KVM_EXIT_FAIL_ENTRY reason 0x%llx", i,
			    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			errno = 0;
			die("vCPU %d: KVM_EXIT_INTERNAL_ERROR suberror %u", i, run->internal.suberror);
			break;
		default:
			__atomic_fetch_add(&exits_other, 1, __ATOMIC_RELAXED);
			errno = 0;
			die("vCPU %d: unhandled exit reason %u", i, run->exit_reason);
		}
	}
	return NULL;
}

static size_t load_file(const char *path, void *dst, size_t max)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("open %s", path);
	if (fstat(fd, &st) < 0)
		die("stat %s", path);
	if ((size_t)st.st_size > max) {
		errno = 0;
		die("%s: %lld bytes, room for %zu", path, (long long)st.st_size, max);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, (char *)dst + got, st.st_size - got);

		if (n <= 0)
			die("read %s", path);
		got += n;
	}
	close(fd);
	return got;
}

static void set_reg(int fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	if (ioctl(fd, KVM_SET_ONE_REG, &reg) < 0)
		die("KVM_SET_ONE_REG 0x%llx", (unsigned long long)id);
}

static void dev_attr(int fd, uint32_t group, uint64_t attr, void *addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)addr };

	if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		die("KVM_SET_DEVICE_ATTR group %u attr 0x%llx", group, (unsigned long long)attr);
}

int main(int argc, char **argv)
{
	struct kvm_userspace_memory_region mem;
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct kvm_vcpu_init init;
	pthread_t th[MAX_VCPUS];
	uint64_t gicd = GICD_BASE, gicr = GICR_BASE;
	uint32_t nr_irqs = 128;
	size_t img_size, dtb_size;
	int kvm, mmap_size, i, api;
	void *ram;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: kvmref IMAGE DTB [NVCPUS]\n");
		return 2;
	}
	if (argc == 4)
		nr_vcpus = atoi(argv[3]);
	if (nr_vcpus < 1 || nr_vcpus > MAX_VCPUS) {
		errno = 0;
		die("NVCPUS must be 1..%d", MAX_VCPUS);
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("open /dev/kvm");
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		errno = 0;
		die("KVM API version %d, expected %d", api, KVM_API_VERSION);
	}
	vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		die("KVM_CREATE_VM");

	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		   MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap guest RAM");
	img_size = load_file(argv[1], (char *)ram + IMAGE_OFFSET, RAM_SIZE - IMAGE_OFFSET);
	dtb_size = load_file(argv[2], (char *)ram + DTB_OFFSET, IMAGE_OFFSET - DTB_OFFSET);
	mem = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = RAM_BASE, .memory_size = RAM_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)ram,
	};
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &mem) < 0)
		die("KVM_SET_USER_MEMORY_REGION");

	/* vGICv3 before the vCPUs' first run; its addresses now, KVM_DEV_ARM_VGIC_CTRL_INIT
	 * after every vCPU exists. */
	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &gic) < 0)
		die("KVM_CREATE_DEVICE vGICv3 (does the host GIC have a GICv3 CPU interface?)");
	dev_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &gicd);
	dev_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &gicr);

	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		die("KVM_ARM_PREFERRED_TARGET");
	for (i = 0; i < nr_vcpus; i++) {
		struct kvm_vcpu_init vi = init;

		vcpu_fd[i] = ioctl(vm_fd, KVM_CREATE_VCPU, i);
		if (vcpu_fd[i] < 0)
			die("KVM_CREATE_VCPU %d", i);
		vcpu_run[i] = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
				   vcpu_fd[i], 0);
		if (vcpu_run[i] == MAP_FAILED)
			die("mmap kvm_run %d", i);
		memset(vi.features, 0, sizeof(vi.features));
		vi.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
		if (i)
			vi.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
		if (ioctl(vcpu_fd[i], KVM_ARM_VCPU_INIT, &vi) < 0)
			die("KVM_ARM_VCPU_INIT %d", i);
	}
	dev_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	dev_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);

	/* vCPU 0: the Linux arm64 boot protocol (x0 = DTB, x1..x3 = 0); PSTATE is EL1h with
	 * DAIF masked after KVM_ARM_VCPU_INIT. */
	set_reg(vcpu_fd[0], CORE_REG(regs.pc), RAM_BASE + IMAGE_OFFSET);
	set_reg(vcpu_fd[0], CORE_REG(regs.regs[0]), RAM_BASE + DTB_OFFSET);
	fprintf(stderr, "kvmref: %s (%zu bytes) at 0x%llx, %s (%zu bytes) at 0x%llx, %d vCPUs, "
		"%llu MiB\n", argv[1], img_size, RAM_BASE + IMAGE_OFFSET, argv[2], dtb_size,
		RAM_BASE + DTB_OFFSET, nr_vcpus, RAM_SIZE >> 20);

	for (i = 1; i < nr_vcpus; i++)
		if (pthread_create(&th[i], NULL, vcpu_thread, (void *)(intptr_t)i))
			die("pthread_create");
	vcpu_thread((void *)0);
	return 0;
}
