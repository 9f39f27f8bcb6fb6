/* fs-test-util.h: what the tests that talk to a board share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A SYNC command, SLIP-framed, ready to write to a board */
GByteArray *fs_test_framed_sync   (void);
/* How many successful ROM replies to @opcode are in @data, a stream of
 * bytes from a board (frames, and whatever it printed between them) */
guint       fs_test_count_replies (const guint8 *data,
                                   gsize         len,
                                   guint8        opcode);

/* How many times @needle occurs in @text, overlapping ones included */
guint       fs_test_count_text    (const char   *text,
                                   const char   *needle);

/* Removes @path and everything under it (symbolic links, not what they
 * point to); asserts that each removal works */
void        fs_test_remove_tree   (const char   *path);

/* @bytes into the file at @path, and a file's whole contents; both
 * assert that the I/O works */
void        fs_test_write_bytes   (const char   *path,
                                   GBytes       *bytes);
GBytes     *fs_test_read_bytes    (const char   *path);

/* Fails the test, showing @text, unless @text holds @expected */
void        fs_test_assert_contains (const char *text,
                                     const char *expected);

/* What a program a test ran did: its exit status and its output */
typedef struct {
  int   status;
  char *out;
  char *err;
} FsTestRun;

void fs_test_run_clear (FsTestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsTestRun, fs_test_run_clear)

/* A CP2102 on /dev/ttyUSB0 (serial "0001") in umockdev's description
 * format, for umockdev_testbed_add_from_string(); its tty's sysfs path */
extern const char fs_test_cp2102[];
#define FS_TEST_CP2102_TTY "/sys/devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0"

G_END_DECLS
