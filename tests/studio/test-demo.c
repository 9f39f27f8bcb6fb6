/* test-demo.c: the demo firmware the studio offers, on a virtual board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "fs-demo.h"
#include "fs-flash.h"
#include "fs-layout.h"
#include "fs-sim-demo.h"
#include "fs-test-board.h"
#include "fs-test-image.h"
#include "fs-vm-set.h"

#define MiB (1024u * 1024u)
#define GREEN_INFO "\033[0;32mI ("
#define YELLOW_WARN "\033[0;33mW ("
#define END_COLOUR "\033[0m\r\n"

static GBytes *
dup_part (const char *name)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = fs_demo_dup_part (name, &error);

  g_assert_no_error (error);
  return bytes;
}

/* The resources hold what the builder makes: they are not stale */
static void
test_parts (void)
{
  const char * const *names = fs_sim_demo_get_part_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GBytes) resource = dup_part (names[i]);
      g_autoptr(GBytes) built = fs_sim_demo_build_part (names[i], NULL);

      g_assert_true (g_bytes_equal (resource, built));
    }
}

static void
test_title (void)
{
  g_assert_cmpstr (fs_demo_get_title (), ==, "Demo firmware for the virtual board");
}

static void
test_is_demo_app (void)
{
  g_autoptr(GBytes) app = dup_part ("app");
  g_autoptr(GBytes) bootloader = dup_part ("bootloader");
  g_autoptr(GBytes) program = dup_part ("program-1");
  g_autoptr(GBytes) other = fs_test_app_image (FS_CHIP_ESP32, "blink", 4096, 7);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

  g_assert_true (fs_demo_is_demo_app (app));
  g_assert_false (fs_demo_is_demo_app (bootloader));
  g_assert_false (fs_demo_is_demo_app (program));
  g_assert_false (fs_demo_is_demo_app (other));
  g_assert_false (fs_demo_is_demo_app (empty));
}

typedef struct {
  char       *dir;
  FsSimBoard *board;
  FsLayout   *layout;
} Board;

static void
board_clear (Board *board)
{
  g_clear_object (&board->board);
  g_clear_object (&board->layout);
  g_clear_pointer (&board->dir, fs_test_board_remove_dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Board, board_clear)

/* Virtualized with the demo package, as the studio's Virtualize writes it:
 * the bootloader, the layout's table, otadata booting VM slot 0, the app */
static void
virtualize (Board *board)
{
  g_autoptr(GBytes) app = dup_part ("app");
  g_autoptr(GBytes) bootloader = dup_part ("bootloader");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsVmSet) set = NULL;
  GPtrArray *parts;

  board->layout = fs_layout_new_builtin (FS_SIM_DEMO_LAYOUT, &error);
  g_assert_no_error (error);
  set = fs_vm_set_new (app, bootloader, fs_demo_get_title (), board->layout, FS_CHIP_ESP32, &error);
  g_assert_no_error (error);
  g_assert_true (fs_vm_set_get_has_bootloader (set));

  board->board = fs_test_board_new_sized (&board->dir, 8 * MiB);
  g_assert_true (fs_sim_board_wait_mode (board->board, FS_SIM_MODE_RUN, 2000));
  fs_test_board_hold_reset (board->board, TRUE);
  parts = fs_vm_set_get_parts (set);
  for (guint i = 0; i < parts->len; i++)
    {
      FsFlashPart *part = g_ptr_array_index (parts, i);

      fs_test_board_write_flash (board->board, part->offset, part->data);
    }
}

/* Upload: the program into bytecode slot 0, then a reset */
static char *
upload_and_reset (Board      *board,
                  const char *program)
{
  const FsLayoutRegion *slot = fs_layout_find_slot (board->layout, FS_REGION_KIND_BYTECODE, 0);

  if (program != NULL)
    {
      g_autoptr(GBytes) bytes = dup_part (program);

      fs_test_board_hold_reset (board->board, TRUE);
      fs_test_board_write_flash (board->board, slot->offset, bytes);
    }
  fs_test_board_hold_reset (board->board, FALSE);
  /* Ticks a second apart at the slowest: quiet in between */
  return fs_test_board_read_text (board->board, 300);
}

static void
assert_has (const char *output,
            const char *prefix,
            const char *text)
{
  g_autofree char *tail = g_strconcat (") ", text, END_COLOUR, NULL);
  const char *found = strstr (output, tail);

  /* A line, coloured as ESP-IDF colours its level: "ESC[0;32mI (123) tag: text ESC[0m" */
  if (found == NULL)
    g_error ("the board did not print “%s”:\n%s", text, output);
  while (found > output && found[-1] != '\n')
    found--;
  g_assert_true (g_str_has_prefix (found, prefix));
}

static void
test_virtual_board (void)
{
  g_auto(Board) board = { 0 };
  g_autofree char *vm = NULL;
  g_autofree char *log = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  virtualize (&board);
  vm = upload_and_reset (&board, NULL);
  log = fs_sim_board_dup_boot_log (board.board);
  g_assert_nonnull (strstr (log, "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"));
  g_assert_nonnull (strstr (log, ") boot: ESP-IDF v5.1.4 2nd stage bootloader\r\n"));
  g_assert_nonnull (strstr (log, ") boot: Loaded app from partition at offset 0x10000\r\n"));
  g_assert_nonnull (strstr (log, ") app_init: Project name:     flash-studio-virtual-demo\r\n"));
  g_assert_nonnull (strstr (log, ") app_init: App version:      " PACKAGE_VERSION "\r\n"));
  g_assert_true (g_str_has_suffix (log, ") main_task: Calling app_main()\r\n"));
  g_assert_null (strstr (log, "E ("));
  assert_has (vm, GREEN_INFO, "vm: Flash Studio virtual demo VM " PACKAGE_VERSION);
  assert_has (vm, YELLOW_WARN, "vm: this firmware is for Flash Studio's virtual board: a real ESP32 cannot run it");
  assert_has (vm, YELLOW_WARN, "vm: no program in bytecode slot 0 yet: upload one");
  assert_has (vm, GREEN_INFO, "vm: waiting for a program (0)");

  one = upload_and_reset (&board, "program-1");
  assert_has (one, GREEN_INFO, "vm: Flash Studio virtual demo VM " PACKAGE_VERSION);
  assert_has (one, GREEN_INFO, "hello: Hello from the demo program, version 1");
  assert_has (one, GREEN_INFO, "hello: version 1 counts 0");
  g_assert_null (strstr (one, "no program"));
  g_assert_null (strstr (one, "waiting for a program"));

  /* Version 2 over version 1: only its own lines */
  two = upload_and_reset (&board, "program-2");
  assert_has (two, GREEN_INFO, "hello: Hi again: this is the demo program, version 2");
  assert_has (two, YELLOW_WARN, "hello: version 2 counts twice as fast");
  assert_has (two, GREEN_INFO, "hello: version 2 counts 0");
  g_assert_null (strstr (two, "version 1"));
  g_assert_null (strstr (two, "no program"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/parts", test_parts);
  g_test_add_func ("/demo/title", test_title);
  g_test_add_func ("/demo/is-demo-app", test_is_demo_app);
  g_test_add_func ("/demo/virtual-board", test_virtual_board);

  return g_test_run ();
}
