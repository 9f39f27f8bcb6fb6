/* cli-ports.c: ports (what discovery sees) and boards (the profiles)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cli-common.h"
#include "fs-board-catalog.h"
#include "fs-flash.h"
#include "fs-port-discovery.h"
#include "fs-transport-factory.h"

static FsBoardCatalog *
load_catalog (void)
{
  g_autofree char *user_dir = g_build_filename (g_get_user_config_dir (), "flash-studio", "boards", NULL);

  return fs_board_catalog_new (user_dir);
}

/* The catalog's problems are the user's own broken profiles: each
 * message starts with the file's path and line already */
static guint
print_catalog_problems (FsBoardCatalog *catalog)
{
  GPtrArray *problems = fs_board_catalog_get_problems (catalog);

  for (guint i = 0; i < problems->len; i++)
    {
      const FsProblem *problem = g_ptr_array_index (problems, i);
      g_printerr ("%s\n", problem->message);
    }
  return problems->len;
}

static char *
format_usb_id (guint16 vid,
               guint16 pid)
{
  return g_strdup_printf ("%04x:%04x", vid, pid);
}

/* ports ------------------------------------------------------------------ */

static char *
join_profiles (GPtrArray *profiles)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (profiles, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s (%s)", fs_board_profile_get_name (profile), fs_board_profile_get_id (profile));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
print_field (const char *label,
             const char *value)
{
  if (value != NULL)
    g_print ("  %-14s %s\n", label, value);
}

static void
print_port_text (FsPortInfo *port)
{
  GPtrArray *profiles = fs_port_info_get_profiles (port);
  FsBoardProfile *profile = fs_port_info_get_profile (port);
  g_autofree char *candidates = join_profiles (profiles);

  g_print ("%s\n", fs_port_info_get_name (port));
  if (fs_port_info_get_kind (port) == FS_PORT_KIND_VIRTUAL)
    {
      g_autofree char *flash_file = fs_transport_sim_flash_path (fs_port_info_get_name (port) + strlen ("sim:"));

      print_field (_("Kind:"), _("virtual board"));
      print_field (_("MAC:"), fs_port_info_get_mac (port));
      print_field (_("Flash file:"), flash_file);
    }
  else
    {
      g_autofree char *usb_id = format_usb_id (fs_port_info_get_vid (port), fs_port_info_get_pid (port));

      print_field (_("USB id:"), usb_id);
      print_field (_("Serial:"), fs_port_info_get_serial (port));
      print_field (_("Manufacturer:"), fs_port_info_get_manufacturer (port));
      print_field (_("Product:"), fs_port_info_get_product (port));
    }

  if (profiles->len == 0)
    print_field (_("Boards:"), _("none known for this bridge: a serial port of unknown kind"));
  else
    print_field (_("Boards:"), candidates);
  if (profile != NULL)
    print_field (_("Board:"), fs_board_profile_get_id (profile));
  else if (profiles->len > 1)
    print_field (_("Board:"), _("not chosen: several boards use this bridge"));
  print_field (_("Access:"), fs_port_info_get_access_problem (port));
}

static void
add_port_json (JsonBuilder *builder,
               FsPortInfo  *port)
{
  GPtrArray *profiles = fs_port_info_get_profiles (port);
  FsBoardProfile *profile = fs_port_info_get_profile (port);
  gboolean usb = fs_port_info_get_kind (port) == FS_PORT_KIND_USB;
  g_autofree char *usb_id = usb ? format_usb_id (fs_port_info_get_vid (port), fs_port_info_get_pid (port)) : NULL;
  g_autofree char *flash_file = usb ? NULL : fs_transport_sim_flash_path (fs_port_info_get_name (port) + strlen ("sim:"));

  json_builder_begin_object (builder);
  cli_json_member_string (builder, "port", fs_port_info_get_name (port));
  cli_json_member_string (builder, "kind", usb ? "usb" : "virtual");
  cli_json_member_string (builder, "usb_id", usb_id);
  cli_json_member_string (builder, "serial", fs_port_info_get_serial (port));
  cli_json_member_string (builder, "manufacturer", fs_port_info_get_manufacturer (port));
  cli_json_member_string (builder, "product", fs_port_info_get_product (port));
  cli_json_member_string (builder, "mac", fs_port_info_get_mac (port));
  cli_json_member_string (builder, "flash_file", flash_file);
  json_builder_set_member_name (builder, "profiles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < profiles->len; i++)
    json_builder_add_string_value (builder, fs_board_profile_get_id (g_ptr_array_index (profiles, i)));
  json_builder_end_array (builder);
  cli_json_member_string (builder, "profile", profile != NULL ? fs_board_profile_get_id (profile) : NULL);
  cli_json_member_string (builder, "access_problem", fs_port_info_get_access_problem (port));
  json_builder_end_object (builder);
}

int
cli_ports (int    argc,
           char **argv)
{
  gboolean as_json = FALSE;
  gboolean with_virtual = FALSE;
  const GOptionEntry entries[] = {
    { "virtual", 0, 0, G_OPTION_ARG_NONE, &with_virtual, N_("Also list the virtual boards, one for every board profile, as “sim:BOARD”"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the facts as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (NULL, _("The USB serial ports a board may be on: USB ids, serial number, the boards\n"
                                    "that use the bridge, and what stops you from opening a port, with the fix."));
  g_autoptr(FsBoardCatalog) catalog = NULL;
  g_autoptr(FsPortDiscovery) discovery = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  guint n_ports;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage_error (context, _("ports takes no arguments"));

  catalog = load_catalog ();
  print_catalog_problems (catalog);
  discovery = fs_port_discovery_new (catalog);
  fs_port_discovery_set_virtual_board_enabled (discovery, with_virtual);
  if (!fs_port_discovery_start (discovery, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return CLI_EXIT_INVALID_INPUT;
    }

  n_ports = g_list_model_get_n_items (G_LIST_MODEL (discovery));
  if (as_json)
    json_builder_begin_array (builder);
  else if (n_ports == 0)
    g_print (_("No USB serial port found. Plug a board in, or add --virtual for the virtual boards.\n"));
  for (guint i = 0; i < n_ports; i++)
    {
      g_autoptr(FsPortInfo) port = g_list_model_get_item (G_LIST_MODEL (discovery), i);

      if (as_json)
        add_port_json (builder, port);
      else
        print_port_text (port);
    }
  if (as_json)
    {
      json_builder_end_array (builder);
      cli_print_json (builder);
    }
  return CLI_EXIT_OK;
}

/* boards ----------------------------------------------------------------- */

static char *
join_bridges (FsBoardProfile *profile)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < fs_board_profile_get_n_bridges (profile); i++)
    {
      const FsUsbBridge *bridge = fs_board_profile_get_bridge (profile, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%04x:%04x %s", bridge->vid, bridge->pid, bridge->description);
    }
  if (text->len == 0)
    g_string_append (text, _("(none: choose it by hand)"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_profile_json (JsonBuilder    *builder,
                  FsBoardProfile *profile)
{
  json_builder_begin_object (builder);
  cli_json_member_string (builder, "id", fs_board_profile_get_id (profile));
  cli_json_member_string (builder, "name", fs_board_profile_get_name (profile));
  cli_json_member_string (builder, "vendor", fs_board_profile_get_vendor (profile));
  cli_json_member_string (builder, "chip", fs_chip_lookup (fs_board_profile_get_chip (profile))->name);
  cli_json_member_string (builder, "reset_method",
                          fs_board_reset_method_to_string (fs_board_profile_get_reset_method (profile)));
  cli_json_member_int (builder, "flash_size", fs_board_profile_get_flash_size (profile));
  cli_json_member_string (builder, "origin", fs_board_profile_get_origin (profile));
  json_builder_set_member_name (builder, "bridges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fs_board_profile_get_n_bridges (profile); i++)
    {
      const FsUsbBridge *bridge = fs_board_profile_get_bridge (profile, i);
      g_autofree char *usb_id = format_usb_id (bridge->vid, bridge->pid);

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "usb_id", usb_id);
      cli_json_member_string (builder, "product", bridge->product);
      cli_json_member_string (builder, "description", bridge->description);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

int
cli_boards (int    argc,
            char **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the facts as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (NULL, _("The boards Flash Studio knows: those it ships and your own, from\n"
                                    "~/.config/flash-studio/boards/ (a profile there that does not load is told\n"
                                    "on stderr, and the exit status is then 1)."));
  g_autoptr(FsBoardCatalog) catalog = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *profiles;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage_error (context, _("boards takes no arguments"));

  catalog = load_catalog ();
  profiles = fs_board_catalog_get_profiles (catalog);
  if (as_json)
    json_builder_begin_array (builder);
  else
    g_print ("%-20s %-28s %-7s %-8s %s\n", _("Id"), _("Name"), _("Reset"), _("Flash"), _("USB bridges"));
  for (guint i = 0; i < profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (profiles, i);
      g_autofree char *flash = fs_format_size (fs_board_profile_get_flash_size (profile));
      g_autofree char *bridges = join_bridges (profile);

      if (as_json)
        add_profile_json (builder, profile);
      else
        g_print ("%-20s %-28s %-7s %-8s %s\n", fs_board_profile_get_id (profile), fs_board_profile_get_name (profile),
                 fs_board_reset_method_to_string (fs_board_profile_get_reset_method (profile)), flash, bridges);
    }
  if (as_json)
    {
      json_builder_end_array (builder);
      cli_print_json (builder);
    }
  return print_catalog_problems (catalog) > 0 ? CLI_EXIT_INVALID_INPUT : CLI_EXIT_OK;
}
