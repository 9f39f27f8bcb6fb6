/* flash-studio-sim.c: a virtual ESP32 board on a pty, TCP or RFC 2217
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "fs-sim-board.h"
#include "fs-sim-profile.h"
#include "fs-sim-server.h"

enum {
  EXIT_OK = 0,
  EXIT_INVALID_INPUT = 1,
  EXIT_USAGE = 2,
};

typedef struct {
  FsSimBoard   *board;
  GMainLoop    *loop;
  GInputStream *input;
  GDataInputStream *lines;
} Sim;

static void read_next_command (Sim *sim);

static void
on_command (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Sim *sim = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (sim->lines, result, NULL, &error);
  g_autofree char *reply = NULL;

  /* Standard input closed: serve on until killed, as a daemon would */
  if (line == NULL)
    return;

  g_strstrip (line);
  if (*line == '\0')
    ;
  else if (g_str_equal (line, "help"))
    g_print ("%s", fs_sim_board_control_help ());
  else if ((reply = fs_sim_board_control (sim->board, line, &error)) != NULL)
    g_print ("%s\n", reply);
  else
    g_print ("error: %s\n", error->message);
  fflush (stdout);
  read_next_command (sim);
}

static void
read_next_command (Sim *sim)
{
  g_data_input_stream_read_line_async (sim->lines, G_PRIORITY_DEFAULT, NULL, on_command, sim);
}

static gboolean
on_signal (gpointer user_data)
{
  Sim *sim = user_data;

  g_main_loop_quit (sim->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_mac (const char *text,
           guint8      mac[6])
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);

  if (g_strv_length (parts) != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    {
      guint64 value;
      if (!g_ascii_string_to_unsigned (parts[i], 16, 0, 255, &value, NULL) || strlen (parts[i]) != 2)
        return FALSE;
      mac[i] = value;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  /* Set by tests and `meson devenv`: the catalogs of an uninstalled build */
  const char *localedir = g_getenv ("FLASH_STUDIO_LOCALEDIR");
  g_autofree char *board_id = NULL;
  g_autofree char *flash_file = NULL;
  g_autofree char *mac_text = NULL;
  g_autofree char *timing_text = NULL;
  gboolean pty = FALSE;
  gboolean instant = FALSE;
  gboolean download = FALSE;
  gint tcp_port = -1;
  gint rfc2217_port = -1;
  gint revision = 3;
  const GOptionEntry entries[] = {
    { "board", 'b', 0, G_OPTION_ARG_STRING, &board_id, N_("The board to be (heltec-wifi-kit-32, pycom-fipy…)"), N_("ID") },
    { "flash-file", 'f', 0, G_OPTION_ARG_FILENAME, &flash_file, N_("Keep the flash in FILE (made, erased, when missing)"), N_("FILE") },
    { "pty", 0, 0, G_OPTION_ARG_NONE, &pty, N_("Serve on a pseudo-terminal (the default)"), NULL },
    { "tcp", 0, 0, G_OPTION_ARG_INT, &tcp_port, N_("Serve raw TCP on 127.0.0.1:PORT (0: any free port)"), N_("PORT") },
    { "rfc2217", 0, 0, G_OPTION_ARG_INT, &rfc2217_port, N_("Serve RFC 2217 on 127.0.0.1:PORT, with DTR, RTS and baud"), N_("PORT") },
    { "instant", 0, 0, G_OPTION_ARG_NONE, &instant, N_("No link or flash timing: as fast as possible"), NULL },
    { "flash-timing", 0, 0, G_OPTION_ARG_STRING, &timing_text,
      N_("Flash timing instead of a W25Q64JV's typical figures (sector=45ms,block=150ms,page=700us,chip=20s)"), N_("TIMING") },
    { "download", 0, 0, G_OPTION_ARG_NONE, &download, N_("Power on into download mode"), NULL },
    { "mac", 0, 0, G_OPTION_ARG_STRING, &mac_text, N_("The chip’s MAC address (by default the board’s own, made from its id)"), N_("XX:XX:XX:XX:XX:XX") },
    { "revision", 0, 0, G_OPTION_ARG_INT, &revision, N_("The chip's major revision (0 to 3)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(FsSimBoard) board = NULL;
  g_autoptr(FsSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *description = NULL;
  FsSimServeKind kind = FS_SIM_SERVE_PTY;
  guint16 port = 0;
  Sim sim = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("flash-studio-sim");

  description = g_strdup_printf (_("The first line printed is where the board is served. Then each line on\n"
                                   "standard input is a command to the board:\n\n%s\n"
                                   "Exit status: 0 when stopped, 1 when the flash file or board is wrong,\n"
                                   "2 when the command line is wrong."), fs_sim_board_control_help ());
  g_option_context_set_summary (context, _("An ESP32 board that lives in software: it speaks the ROM loader protocol,\n"
                                           "keeps its flash in a file and boots what it holds."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_USAGE;
    }
  if (board_id == NULL || flash_file == NULL || argc != 1)
    {
      g_printerr (_("%s: give --board ID and --flash-file FILE\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  if ((pty ? 1 : 0) + (tcp_port >= 0 ? 1 : 0) + (rfc2217_port >= 0 ? 1 : 0) > 1)
    {
      g_printerr (_("%s: choose one of --pty, --tcp and --rfc2217\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  if (tcp_port > G_MAXUINT16 || rfc2217_port > G_MAXUINT16 || revision < 0 || revision > 3)
    {
      g_printerr (_("%s: a port is 0 to 65535, a revision 0 to 3\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  if (tcp_port >= 0)
    kind = FS_SIM_SERVE_TCP, port = tcp_port;
  else if (rfc2217_port >= 0)
    kind = FS_SIM_SERVE_RFC2217, port = rfc2217_port;

  fs_sim_board_options_init_default (&options, flash_file);
  options.instant = instant;
  options.start_in_download = download;
  options.chip.revision_major = revision;
  if (timing_text != NULL && !fs_sim_flash_timing_parse (&options.timing, timing_text, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_USAGE;
    }
  if (!fs_sim_board_options_apply_profile (&options, board_id, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_INVALID_INPUT;
    }
  /* After the profile: it gives the board's own MAC */
  if (mac_text != NULL && !parse_mac (mac_text, options.chip.mac))
    {
      g_printerr (_("%s: “%s” is not a MAC address\n"), g_get_prgname (), mac_text);
      return EXIT_USAGE;
    }
  if ((board = fs_sim_board_new (&options, &error)) == NULL ||
      (server = fs_sim_server_new (board, kind, port, &error)) == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_INVALID_INPUT;
    }

  loop = g_main_loop_new (NULL, FALSE);
  input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  lines = g_data_input_stream_new (input);
  sim = (Sim) { .board = board, .loop = loop, .input = input, .lines = lines };
  /* Before the address goes out: whoever reads it may stop us at once */
  g_unix_signal_add (SIGINT, on_signal, &sim);
  g_unix_signal_add (SIGTERM, on_signal, &sim);

  g_print ("%s\n", fs_sim_server_get_address (server));
  fflush (stdout);
  read_next_command (&sim);
  g_main_loop_run (loop);
  return EXIT_OK;
}
