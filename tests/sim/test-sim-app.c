/* test-sim-app.c: what an app on the virtual board declares, and prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-sim-app.h"

#define ELF_SHA "a0a1a2a3a"

/* @strings, each with its NUL, as they sit in an image or a bytecode slot */
static FsSimApp *
app_from (const char * const *strings)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  FsSimApp *app = fs_sim_app_new ();

  for (guint i = 0; strings[i] != NULL; i++)
    g_byte_array_append (data, (const guint8 *) strings[i], strlen (strings[i]) + 1);
  fs_sim_app_collect (app, data->data, data->len);
  return app;
}

static void
test_panic (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) { "FSSIM:PRINT:hello", "FSSIM:PANIC:LoadProhibited", NULL });
  g_autofree char *text = fs_sim_app_dup_end_text (app, ELF_SHA);

  g_assert_cmpint (app->end, ==, FS_SIM_APP_PANICS);
  g_assert_cmpstr (app->exception, ==, "LoadProhibited");
  g_assert_cmpuint (app->lines->len, ==, 1);
  /* LoadProhibited is Xtensa's EXCCAUSE 28 */
  g_assert_cmpstr (text, ==,
                   "Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.\r\n"
                   "\r\n"
                   "Core  0 register dump:\r\n"
                   "PC      : 0x400d1f6a  PS      : 0x00060c30  A0      : 0x800d2b1d  A1      : 0x3ffb4e70  \r\n"
                   "A2      : 0x00000000  A3      : 0x3f4035b4  A4      : 0x00000001  A5      : 0x3ffb4e90  \r\n"
                   "A6      : 0x00000000  A7      : 0x00000000  A8      : 0x800d1f68  A9      : 0x3ffb4e50  \r\n"
                   "A10     : 0x00000000  A11     : 0x3ffb7f0c  A12     : 0x00000000  A13     : 0x00000000  \r\n"
                   "A14     : 0x00000000  A15     : 0x00000000  SAR     : 0x00000004  EXCCAUSE: 0x0000001c  \r\n"
                   "EXCVADDR: 0x00000000  LBEG    : 0x4000c2e0  LEND    : 0x4000c2f6  LCOUNT  : 0x00000000  \r\n"
                   "\r\n"
                   "\r\n"
                   "Backtrace: 0x400d1f67:0x3ffb4e70 0x400d2b1a:0x3ffb4e90 0x40089e6d:0x3ffb4eb0\r\n"
                   "\r\n"
                   "\r\n"
                   "\r\n"
                   "\r\n"
                   "ELF file SHA256: a0a1a2a3a\r\n"
                   "\r\n"
                   "Rebooting...\r\n");
}

static void
test_panic_other_exceptions (void)
{
  g_autoptr(FsSimApp) illegal = app_from ((const char *[]) { "FSSIM:PANIC:IllegalInstruction", NULL });
  g_autoptr(FsSimApp) unnamed = app_from ((const char *[]) { "FSSIM:PANIC:Something odd", NULL });
  g_autofree char *illegal_text = fs_sim_app_dup_end_text (illegal, ELF_SHA);
  g_autofree char *unnamed_text = fs_sim_app_dup_end_text (unnamed, ELF_SHA);

  g_assert_nonnull (strstr (illegal_text, "panic'ed (IllegalInstruction). Exception was unhandled.\r\n"));
  g_assert_nonnull (strstr (illegal_text, "EXCCAUSE: 0x00000000  "));
  /* Not a cause ESP-IDF names: one it would call "Unknown" */
  g_assert_nonnull (strstr (unnamed_text, "panic'ed (Something odd). "));
  g_assert_nonnull (strstr (unnamed_text, "EXCCAUSE: 0x0000003f  "));
}

static void
test_abort (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) { "FSSIM:ABORT", NULL });
  g_autofree char *text = fs_sim_app_dup_end_text (app, ELF_SHA);

  g_assert_cmpint (app->end, ==, FS_SIM_APP_ABORTS);
  g_assert_null (app->exception);
  /* No register dump after abort(), as on the ESP32 */
  g_assert_cmpstr (text, ==,
                   "\r\n"
                   "abort() was called at PC 0x400d1f67 on core 0\r\n"
                   "\r\n"
                   "\r\n"
                   "Backtrace: 0x40081a5e:0x3ffb4e10 0x400856d1:0x3ffb4e30 0x4008a1fe:0x3ffb4e50"
                   " 0x400d1f67:0x3ffb4e70 0x400d2b1a:0x3ffb4e90 0x40089e6d:0x3ffb4eb0\r\n"
                   "\r\n"
                   "\r\n"
                   "\r\n"
                   "\r\n"
                   "ELF file SHA256: a0a1a2a3a\r\n"
                   "\r\n"
                   "Rebooting...\r\n");
}

static void
test_brownout (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) { "FSSIM:BROWNOUT", NULL });
  g_autofree char *text = fs_sim_app_dup_end_text (app, ELF_SHA);

  g_assert_cmpint (app->end, ==, FS_SIM_APP_BROWNS_OUT);
  g_assert_cmpstr (text, ==, "\r\nBrownout detector was triggered\r\n\r\n");
}

static void
test_ends_first_counts (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) {
    "FSSIM:PANIC:",           /* no exception: ignored */
    "FSSIM:ABORTED",          /* not the word */
    "FSSIM:BROWNOUT",
    "FSSIM:PANIC:LoadProhibited",
    "FSSIM:ABORT",
    NULL,
  });
  g_autoptr(FsSimApp) runs = app_from ((const char *[]) { "FSSIM:PRINT:fine", NULL });

  g_assert_cmpint (app->end, ==, FS_SIM_APP_BROWNS_OUT);
  g_assert_null (app->exception);
  g_assert_cmpint (runs->end, ==, FS_SIM_APP_RUNS);
  g_assert_null (fs_sim_app_dup_end_text (runs, ELF_SHA));
}

static void
test_format_repeat (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) {
    "FSSIM:REPEAT:1000:\033[0;32mI (%t) demo: tick %u, again %u\033[0m",
    "FSSIM:REPEAT:5:not the first",
    NULL,
  });
  g_autofree char *first = fs_sim_app_format_repeat (app, 0, 325);
  g_autofree char *later = fs_sim_app_format_repeat (app, 17, 17325);

  g_assert_cmpuint (app->repeat_ms, ==, 1000);
  g_assert_cmpstr (first, ==, "\033[0;32mI (325) demo: tick 0, again 0\033[0m");
  g_assert_cmpstr (later, ==, "\033[0;32mI (17325) demo: tick 17, again 17\033[0m");
}

static void
test_format_line (void)
{
  g_autofree char *line = fs_sim_app_format_line ("I (%t) demo: %u%% at %t", 273);

  /* No counter in a line printed once */
  g_assert_cmpstr (line, ==, "I (273) demo: %u%% at 273");
}

static void
test_baud_first_counts (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) {
    "FSSIM:BAUD:12", "FSSIM:BAUD:921600", "FSSIM:BAUD:115200", NULL,
  });

  /* 12 is no baud: the first valid one counts */
  g_assert_cmpuint (app->baud, ==, 921600);
}

static void
test_program_lines_and_repeat (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) {
    "FSSIM:PRINT:vm", "FSSIM:NOPROGRAM:no program yet", "FSSIM:REPEAT:1000:vm tick", "FSSIM:BAUD:921600", NULL,
  });
  g_autoptr(FsSimApp) program = app_from ((const char *[]) {
    "FSSIM:PRINT:hello", "FSSIM:REPEAT:500:program tick %u", "FSSIM:NOPROGRAM:ignored", NULL,
  });

  g_assert_false (fs_sim_app_is_empty (program));
  fs_sim_app_add_program (app, program);
  g_assert_cmpuint (app->lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (app->lines, 0), ==, "vm");
  g_assert_cmpstr (g_ptr_array_index (app->lines, 1), ==, "hello");
  g_assert_cmpstr (app->repeat_line, ==, "program tick %u");
  g_assert_cmpuint (app->repeat_ms, ==, 500);
  /* The program says nothing of the baud: the VM's stays */
  g_assert_cmpuint (app->baud, ==, 921600);
  g_assert_cmpint (app->end, ==, FS_SIM_APP_RUNS);
}

static void
test_no_program (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) {
    "FSSIM:PRINT:vm", "FSSIM:NOPROGRAM:no program yet", "FSSIM:NOPROGRAM:only the first", NULL,
  });
  g_autoptr(FsSimApp) plain = app_from ((const char *[]) { "FSSIM:PRINT:not a VM", NULL });
  g_autoptr(FsSimApp) empty = fs_sim_app_new ();
  /* Strings that are not FSSIM ones are not a program */
  static const guint8 noise[] = "hello\0FSSIM\0FSSIM:BOGUS:x";

  fs_sim_app_collect (empty, noise, sizeof noise);
  g_assert_true (fs_sim_app_is_empty (empty));
  fs_sim_app_add_program (app, empty);
  g_assert_cmpuint (app->lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (app->lines, 1), ==, "no program yet");

  /* An app that does not say what to print without a program prints nothing */
  fs_sim_app_add_program (plain, empty);
  g_assert_cmpuint (plain->lines->len, ==, 1);
}

static void
test_program_crashes (void)
{
  g_autoptr(FsSimApp) app = app_from ((const char *[]) { "FSSIM:PRINT:vm", "FSSIM:REPEAT:1000:vm tick", NULL });
  g_autoptr(FsSimApp) program = app_from ((const char *[]) { "FSSIM:PRINT:dividing", "FSSIM:PANIC:IntegerDivideByZero", NULL });

  fs_sim_app_add_program (app, program);
  g_assert_cmpint (app->end, ==, FS_SIM_APP_PANICS);
  g_assert_cmpstr (app->exception, ==, "IntegerDivideByZero");
  g_assert_cmpuint (app->lines->len, ==, 2);
}

static void
test_cut_off_and_garbage (void)
{
  g_autoptr(FsSimApp) app = fs_sim_app_new ();
  /* A string cut off by the end of the data ends there */
  static const char data[] = { 'x', 'F', 'S', 'F', 'S', 'S', 'I', 'M', ':', 'P', 'R', 'I', 'N', 'T', ':', 'e', 'n', 'd' };

  fs_sim_app_collect (app, (const guint8 *) data, sizeof data);
  fs_sim_app_collect (app, NULL, 0);
  g_assert_cmpuint (app->lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (app->lines, 0), ==, "end");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-app/panic", test_panic);
  g_test_add_func ("/sim-app/panic-other-exceptions", test_panic_other_exceptions);
  g_test_add_func ("/sim-app/abort", test_abort);
  g_test_add_func ("/sim-app/brownout", test_brownout);
  g_test_add_func ("/sim-app/ends-first-counts", test_ends_first_counts);
  g_test_add_func ("/sim-app/format-repeat", test_format_repeat);
  g_test_add_func ("/sim-app/format-line", test_format_line);
  g_test_add_func ("/sim-app/baud-first-counts", test_baud_first_counts);
  g_test_add_func ("/sim-app/program-lines-and-repeat", test_program_lines_and_repeat);
  g_test_add_func ("/sim-app/no-program", test_no_program);
  g_test_add_func ("/sim-app/program-crashes", test_program_crashes);
  g_test_add_func ("/sim-app/cut-off-and-garbage", test_cut_off_and_garbage);

  return g_test_run ();
}
