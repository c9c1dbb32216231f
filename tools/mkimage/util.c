/* SPDX-License-Identifier: Apache-2.0 */
/* ftvisor-mkimage: errors, whole-file reads, device-tree source through dtc, temp files. */
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mkimage.h"

extern char **environ;

#define MAX_TEMPS 8

static char *temps[MAX_TEMPS];
static int n_temps;

static void remove_temps(void)
{
	for (int i = 0; i < n_temps; i++)
		unlink(temps[i]);
}

void remove_at_exit(const char *path)
{
	if (n_temps == MAX_TEMPS)
		die("too many temporary files");
	if (!n_temps)
		atexit(remove_temps);
	temps[n_temps++] = xstrdup(path);
}

void die(const char *fmt, ...)
{
	va_list ap;

	fputs(TOOL ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void cfg_die(const struct config *cfg, const struct vm_cfg *vm, const char *node, const char *fmt,
	     ...)
{
	va_list ap;

	if (vm && vm->name[0])
		fprintf(stderr, TOOL ": %s: %s (%s): ", cfg->src, vm->node, vm->name);
	else
		fprintf(stderr, TOOL ": %s: %s: ", cfg->src, vm ? vm->node : node);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int read_file(const char *path, struct file_buf *out)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st))
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	out->data = xmalloc((size_t)st.st_size);
	while (done < (size_t)st.st_size) {
		n = read(fd, out->data + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO; /* shrank under us */
			free(out->data);
			goto fail;
		}
		done += (size_t)n;
	}
	close(fd);
	out->size = done;
	out->path = xstrdup(path);
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/*
 * dtc -I dts -O dtb into a temp file; its own messages go to stderr. dtc's checks of the
 * legacy Open Firmware "name" property are off: a VM's name is a property of that name.
 */
static void run_dtc(const char *src, const char *dst, const char *what)
{
	char *argv[] = { "dtc", "-q", "-E", "no-name_properties", "-E", "no-name_is_string",
			 "-I", "dts", "-O", "dtb", "-o", (char *)dst, (char *)src, NULL };
	pid_t pid;
	int status, err;

	err = posix_spawnp(&pid, "dtc", NULL, NULL, argv, environ);
	if (err)
		die("%s: cannot run dtc: %s (install device-tree-compiler)", what, strerror(err));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("%s: waitpid: %s", what, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("%s: dtc could not compile it", what);
}

void load_tree(const char *path, const char *what, struct file_buf *out)
{
	const char *dir = getenv("TMPDIR");
	char tmp[4096];
	int fd, err;

	if (read_file(path, out))
		die("%s: cannot read it: %s", what, strerror(errno));
	if (out->size < 4 || fdt_magic(out->data) != FDT_MAGIC) {
		/* Not a blob: take it as device-tree source. */
		snprintf(tmp, sizeof(tmp), "%s/ftvisor-mkimage-XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(tmp);
		if (fd < 0)
			die("%s: mkstemp: %s", what, strerror(errno));
		close(fd);
		remove_at_exit(tmp);
		run_dtc(path, tmp, what);
		free(out->data);
		free(out->path);
		if (read_file(tmp, out))
			die("%s: cannot read dtc's output %s: %s", what, tmp, strerror(errno));
	}
	err = out->size > INT32_MAX ? -FDT_ERR_TRUNCATED : fdt_check_full(out->data, out->size);
	if (err)
		die("%s: not a valid device tree blob (%s)", what, fdt_strerror(err));
}
