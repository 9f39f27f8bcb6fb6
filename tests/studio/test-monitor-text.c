/* test-monitor-text.c: the serial monitor's stream filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib.h>

#include "fs-monitor-text.h"

/* As ESP-IDF colours its log: green info, yellow warnings, red errors */
static const char coloured_log[] =
  "ets Jun  8 2016 00:22:57\r\n"
  "\033[0;32mI (29) boot: ESP-IDF v5.1.2 2nd stage bootloader\033[0m\r\n"
  "\033[0;33mW (35) spi_flash: Detected size(8192k) larger than the size in the binary image header(4096k).\033[0m\r\n"
  "\033[0;31mE (40) boot: Factory app partition is not bootable\033[0m\r\n"
  "\033]0;title\007plain \033(Btext\033[1A\r\n";

static const char plain_log[] =
  "ets Jun  8 2016 00:22:57\r\n"
  "I (29) boot: ESP-IDF v5.1.2 2nd stage bootloader\r\n"
  "W (35) spi_flash: Detected size(8192k) larger than the size in the binary image header(4096k).\r\n"
  "E (40) boot: Factory app partition is not bootable\r\n"
  "plain text\r\n";

static char *
strip_in_pieces (const char *text,
                 gsize       first,
                 gsize       second)
{
  g_autoptr(FsAnsiStripper) stripper = fs_ansi_stripper_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 *data = (const guint8 *) text;
  gsize len = strlen (text);

  fs_ansi_stripper_feed (stripper, data, first, out);
  fs_ansi_stripper_feed (stripper, data + first, second - first, out);
  fs_ansi_stripper_feed (stripper, data + second, len - second, out);
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
}

static void
test_stripper_every_split (void)
{
  gsize len = strlen (coloured_log);

  for (gsize first = 0; first <= len; first++)
    {
      g_autofree char *plain = strip_in_pieces (coloured_log, first, first);

      g_assert_cmpstr (plain, ==, plain_log);
    }
  /* Two cuts, both inside the same sequence too */
  for (gsize first = 20; first < 80; first++)
    for (gsize second = first; second < 90; second++)
      {
        g_autofree char *plain = strip_in_pieces (coloured_log, first, second);

        g_assert_cmpstr (plain, ==, plain_log);
      }
}

static void
test_stripper_garbled (void)
{
  /* A sequence that lost its final byte keeps the line break after it */
  g_autofree char *broken = strip_in_pieces ("a\033[0;3\r\nb\033]no end\nc\033", 3, 9);
  g_autofree char *utf8 = strip_in_pieces ("\033[1mgrün\033[0m", 5, 5);

  g_assert_cmpstr (broken, ==, "a\r\nb\nc");
  g_assert_cmpstr (utf8, ==, "grün");
}

static GDateTime *
fake_clock (gpointer user_data)
{
  guint *calls = user_data;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) second = NULL;

  (*calls)++;
  second = g_date_time_new (utc, 2026, 11, 21, 9, 5, 7 + *calls);
  return g_date_time_add (second, 42 * 1000);
}

static void
test_stamper (void)
{
  guint calls = 0;
  g_autoptr(FsLineStamper) stamper = fs_line_stamper_new (fake_clock, &calls);
  g_autoptr(GString) out = g_string_new (NULL);

  fs_line_stamper_feed (stamper, (const guint8 *) "boot", 4, out);
  fs_line_stamper_feed (stamper, (const guint8 *) "ing\r\nready\r", 11, out);
  fs_line_stamper_feed (stamper, (const guint8 *) "\n", 1, out);
  fs_line_stamper_feed (stamper, (const guint8 *) "", 0, out);
  fs_line_stamper_feed (stamper, (const guint8 *) "\n>", 2, out);
  g_assert_cmpstr (out->str, ==,
                   "[09:05:08.042] booting\r\n"
                   "[09:05:09.042] ready\r\n"
                   "[09:05:10.042] \n"
                   "[09:05:11.042] >");
  g_assert_cmpuint (calls, ==, 4);
}

static void
test_hex_dump (void)
{
  g_autoptr(FsHexDumper) dumper = fs_hex_dumper_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  const char *text = "Hello, board!\r\n\x01\xff" "0123456789";

  fs_hex_dumper_feed (dumper, (const guint8 *) text, 5, out);
  g_assert_cmpstr (out->str, ==, "");
  fs_hex_dumper_feed (dumper, (const guint8 *) text + 5, 22, out);
  g_assert_cmpstr (out->str, ==,
                   "00000000  48 65 6c 6c 6f 2c 20 62  6f 61 72 64 21 0d 0a 01  |Hello, board!...|\n");
  fs_hex_dumper_flush (dumper, out);
  fs_hex_dumper_flush (dumper, out);
  fs_hex_dumper_feed (dumper, (const guint8 *) "A", 1, out);
  fs_hex_dumper_flush (dumper, out);
  g_assert_cmpstr (out->str, ==,
                   "00000000  48 65 6c 6c 6f 2c 20 62  6f 61 72 64 21 0d 0a 01  |Hello, board!...|\n"
                   "00000010  ff 30 31 32 33 34 35 36  37 38 39                 |.0123456789|\n"
                   "0000001b  41                                                |A|\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/monitor-text/stripper/every-split", test_stripper_every_split);
  g_test_add_func ("/monitor-text/stripper/garbled", test_stripper_garbled);
  g_test_add_func ("/monitor-text/stamper", test_stamper);
  g_test_add_func ("/monitor-text/hex-dump", test_hex_dump);
  return g_test_run ();
}
