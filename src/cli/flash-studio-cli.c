/* flash-studio-cli.c: the command line of Flash Studio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cli-common.h"

static const CliVerb verbs[] = {
  { "image-info", N_("FILE"), N_("Show what an app, bootloader or merged image holds, and check it"), cli_image_info },
  { "partition-table", N_("FILE"), N_("Show and check a partition table (binary or CSV); convert it with --out"), cli_partition_table },
  { "layout", N_("list | show NAME | table NAME --out FILE"), N_("The flash layouts Flash Studio ships"), cli_layout },
  { "merge-image", N_("--out FILE ADDR FILE…"), N_("Merge images into one file to write at address 0"), cli_merge_image },
  { "chip-info", N_("--port PORT"), N_("Show a board's chip, MAC, flash and security settings"), cli_chip_info },
  { "flash-id", N_("--port PORT"), N_("Show the id and size of a board's flash chip"), cli_flash_id },
  { "read-mac", N_("--port PORT"), N_("Show the MAC address of a board's chip"), cli_read_mac },
  { "write", N_("--port PORT ADDR FILE…"), N_("Write files to a board's flash, skipping what is there already"), cli_write },
  { "verify", N_("--port PORT ADDR FILE…"), N_("Compare files with a board's flash"), cli_verify },
  { "read", N_("--port PORT ADDR SIZE FILE"), N_("Read a range of a board's flash into a file"), cli_read },
  { "erase", N_("--port PORT [--region ADDR SIZE]"), N_("Erase a board's flash, or a range of it"), cli_erase },
  { "backup", N_("--port PORT FILE"), N_("Read a board's whole flash into a file"), cli_backup },
  { "restore", N_("--port PORT FILE"), N_("Write a backup of the whole flash back to a board"), cli_restore },
  { "slot", N_("--port PORT show | switch"), N_("Show or switch the OTA app slot a board boots"), cli_slot },
  { "ports", N_("[--virtual]"), N_("The USB serial ports, the boards they may be, and access problems"), cli_ports },
  { "boards", "", N_("The board profiles: shipped and your own"), cli_boards },
  { "monitor", N_("--port PORT"), N_("Show what a board prints, and type to it"), cli_monitor },
};

static void
print_help (void)
{
  g_print (_("Usage: %s COMMAND [OPTION…]\n\n"), g_get_prgname ());
  g_print (_("Flash ESP32 boards, and read and check their firmware files.\n\n"));
  g_print (_("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    g_print ("  %-16s %s\n", verbs[i].name, _(verbs[i].summary));
  g_print (_("\n“%s COMMAND --help” tells more about a command. Every command that prints\n"
             "facts prints them as JSON with --json.\n\n"), g_get_prgname ());
  g_print ("%s\n", _(CLI_EXIT_STATUS_HELP));
}

static void
print_version (void)
{
  g_print ("flash-studio-cli %s\n", PACKAGE_VERSION);
  /* TRANSLATORS: the versions of the GLib library running and compiled against */
  g_print (_("GLib %d.%d.%d (built against %d.%d.%d)\n"),
           glib_major_version, glib_minor_version, glib_micro_version,
           GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION);
  g_print ("json-glib %d.%d.%d\n", JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION);
}

int
main (int   argc,
      char *argv[])
{
  const char *name;
  /* Set by tests and `meson devenv`: the catalogs of an uninstalled build */
  const char *localedir = g_getenv ("FLASH_STUDIO_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("flash-studio-cli");

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help ();
      return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      print_version ();
      return CLI_EXIT_OK;
    }

  name = argv[1];
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      if (g_str_equal (name, verbs[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("flash-studio-cli %s", name);

          /* Usage lines and messages then read "flash-studio-cli image-info: …" */
          g_set_prgname (prgname);
          return verbs[i].run (argc - 1, argv + 1);
        }
    }

  g_printerr (_("%s: “%s” is not a command\n"), g_get_prgname (), name);
  g_printerr (_("Try “%s --help” for the list of commands.\n"), g_get_prgname ());
  return CLI_EXIT_USAGE;
}
