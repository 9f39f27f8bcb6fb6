/* cli-monitor.c: the monitor verb, a serial terminal on a board's port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "cli-board-run.h"
#include "fs-error.h"
#include "fs-monitor.h"
#include "fs-monitor-text.h"
#include "fs-transport-factory.h"

/* ESP-IDF's console runs at this baud unless the app changes it */
#define CONSOLE_BAUD 115200
/* Ctrl+] quits, as in telnet and idf.py monitor */
#define QUIT_KEY     0x1D

typedef struct {
  GMainLoop       *loop;
  FsMonitor       *monitor;
  FsLineStamper   *stamper;    /* NULL without --timestamps */
  FsAnsiStripper  *stripper;   /* for the log */
  FsHexDumper     *hex;        /* NULL without --hex */
  FILE            *log;
  char            *log_path;
  FsMonitorState   state;      /* the last one told */
  gboolean         raw;        /* the terminal is raw: lines end in "\r\n" */
  gboolean         line_open;  /* the screen's last line has no end yet */
  int              status;
} Session;

static void
write_out (FILE       *file,
           const void *data,
           gsize       len)
{
  if (len > 0)
    fwrite (data, 1, len, file);
  fflush (file);
}

static void
write_log (Session      *session,
           const guint8 *data,
           gsize         len)
{
  g_autoptr(GByteArray) plain = g_byte_array_new ();

  if (session->log == NULL)
    return;
  fs_ansi_stripper_feed (session->stripper, data, len, plain);
  write_out (session->log, plain->data, plain->len);
  if (ferror (session->log) && session->status == CLI_EXIT_OK)
    {
      g_printerr (_("%s: %s: cannot write the log: %s\n"), g_get_prgname (), session->log_path, g_strerror (errno));
      session->status = CLI_EXIT_INVALID_INPUT;
      g_main_loop_quit (session->loop);
    }
}

static void
on_data (FsMonitor *monitor,
         GBytes    *bytes,
         Session   *session)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (session->hex != NULL)
    {
      g_autoptr(GString) dump = g_string_new (NULL);

      fs_hex_dumper_feed (session->hex, data, len, dump);
      write_out (stdout, dump->str, dump->len);
    }
  /* Stamped once, so that the log and the screen agree */
  if (session->stamper != NULL)
    fs_line_stamper_feed (session->stamper, data, len, text);
  else
    g_string_append_len (text, (const char *) data, len);
  if (session->hex == NULL)
    {
      write_out (stdout, text->str, text->len);
      if (text->len > 0)
        session->line_open = text->str[text->len - 1] != '\n';
    }
  write_log (session, (const guint8 *) text->str, text->len);
}

/* On a line of its own, never inside one of the board's */
G_GNUC_PRINTF (2, 3)
static void
say (Session    *session,
     const char *format,
     ...)
{
  const char *end = session->raw ? "\r\n" : "\n";
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (session->line_open && isatty (STDOUT_FILENO))
    write_out (stdout, end, strlen (end));
  session->line_open = FALSE;
  g_printerr ("%s: %s%s", g_get_prgname (), text, end);
}

static void
on_state (FsMonitor  *monitor,
          GParamSpec *pspec,
          Session    *session)
{
  FsMonitorState state = fs_monitor_get_state (monitor);
  const char *port = fs_transport_get_name (fs_monitor_get_transport (monitor));

  /* The monitor looks for the port again by itself */
  if (state == FS_MONITOR_STATE_DISCONNECTED && session->state != FS_MONITOR_STATE_DISCONNECTED)
    say (session, _("the board went away from %s: waiting for it to come back"), port);
  else if (state == FS_MONITOR_STATE_RUNNING && session->state == FS_MONITOR_STATE_DISCONNECTED)
    say (session, _("the board is back on %s"), port);
  session->state = state;
}

/* The sources stay until run() removes them all */
static gboolean
on_quit (gpointer user_data)
{
  Session *session = user_data;

  g_main_loop_quit (session->loop);
  return G_SOURCE_CONTINUE;
}

/* Keystrokes go to the board as they are typed */
static gboolean
on_stdin (gint         fd,
          GIOCondition condition,
          gpointer     user_data)
{
  Session *session = user_data;
  g_autoptr(GError) error = NULL;
  guint8 keys[256];
  const guint8 *quit;
  gssize n = read (fd, keys, sizeof keys);

  if (n <= 0)
    return on_quit (session);
  quit = memchr (keys, QUIT_KEY, n);
  if (quit != NULL)
    n = quit - keys;
  /* While the board is away, what is typed has nowhere to go */
  if (fs_monitor_get_state (session->monitor) != FS_MONITOR_STATE_RUNNING)
    n = 0;
  if (n > 0 && !fs_transport_write (fs_monitor_get_transport (session->monitor), keys, n, NULL, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      session->status = CLI_EXIT_BOARD;
      quit = keys;
    }
  if (quit != NULL)
    return on_quit (session);
  return G_SOURCE_CONTINUE;
}

static void
session_clear (Session *session)
{
  g_clear_pointer (&session->loop, g_main_loop_unref);
  g_clear_object (&session->monitor);
  g_clear_pointer (&session->stamper, fs_line_stamper_free);
  g_clear_pointer (&session->stripper, fs_ansi_stripper_free);
  g_clear_pointer (&session->hex, fs_hex_dumper_free);
  g_clear_pointer (&session->log, fclose);
  g_clear_pointer (&session->log_path, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Session, session_clear)

static int
open_monitor (Session         *session,
              CliBoardOptions *options)
{
  g_autoptr(FsTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  transport = fs_transport_new_for_port (options->port, &error);
  if (transport == NULL)
    return cli_board_fail (error);
  session->monitor = fs_monitor_new (transport);
  g_signal_connect (session->monitor, "data", G_CALLBACK (on_data), session);
  g_signal_connect (session->monitor, "notify::state", G_CALLBACK (on_state), session);
  /* The transport releases DTR and RTS as it opens: the board keeps running */
  if (!fs_transport_open (transport, &error) ||
      !fs_monitor_set_baud (session->monitor, options->baud != 0 ? (guint) options->baud : CONSOLE_BAUD, &error) ||
      !fs_monitor_start (session->monitor, &error))
    return cli_board_fail (error);
  return CLI_EXIT_OK;
}

static void
run (Session *session,
     guint    duration)
{
  struct termios saved, raw;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  guint sources[4] = { 0 };

  sources[0] = g_unix_signal_add (SIGINT, on_quit, session);
  sources[1] = g_unix_signal_add (SIGTERM, on_quit, session);
  if (duration > 0)
    sources[2] = g_timeout_add_seconds (duration, on_quit, session);
  if (terminal)
    {
      g_printerr (_("Monitoring %s: Ctrl+] quits\n"),
                  fs_transport_get_name (fs_monitor_get_transport (session->monitor)));
      raw = saved;
      /* Output too: the board's "\r\n" reaches the screen as it is */
      cfmakeraw (&raw);
      session->raw = tcsetattr (STDIN_FILENO, TCSAFLUSH, &raw) == 0;
      sources[3] = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_stdin, session);
    }

  g_main_loop_run (session->loop);

  if (terminal)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  session->raw = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != 0)
      g_source_remove (sources[i]);
}

int
cli_monitor (int    argc,
             char **argv)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_auto(Session) session = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *log_path = NULL;
  gboolean timestamps = FALSE, hex = FALSE;
  gint duration = 0;
  int status;
  const GOptionEntry entries[] = {
    { "timestamps", 't', 0, G_OPTION_ARG_NONE, &timestamps,
      N_("Put the time a line arrived in front of it"), NULL },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log_path,
      N_("Also write what arrives to FILE, as plain text without colours"), N_("FILE") },
    { "hex", 0, 0, G_OPTION_ARG_NONE, &hex,
      N_("Show what arrives as a hex dump"), NULL },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration,
      N_("Stop after SECONDS"), N_("SECONDS") },
    { NULL }
  };

  context = cli_option_context_new (NULL,
                                    _("Shows what the board prints, without resetting it (the baud is 115200 unless\n"
                                      "--baud says otherwise). On a terminal, what you type goes to the board and\n"
                                      "Ctrl+] quits; otherwise it runs until Ctrl+C or the end of --duration. When\n"
                                      "the board goes away, it waits for it to come back on the same port."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if (argc > 1)
    return cli_usage_error (context, _("the monitor takes no arguments, only options"));
  if (duration < 0)
    return cli_usage_error (context, _("--duration must be 0 or more seconds"));

  if (log_path != NULL)
    {
      session.log = g_fopen (log_path, "wb");
      if (session.log == NULL)
        return cli_file_error (log_path, _("cannot write the log: %s"), g_strerror (errno));
      session.log_path = g_steal_pointer (&log_path);
    }
  session.loop = g_main_loop_new (NULL, FALSE);
  session.stripper = fs_ansi_stripper_new ();
  if (timestamps)
    session.stamper = fs_line_stamper_new (NULL, NULL);
  if (hex)
    session.hex = fs_hex_dumper_new ();

  if ((status = open_monitor (&session, &options)) != CLI_EXIT_OK)
    return status;
  run (&session, duration);
  fs_monitor_stop (session.monitor);
  if (session.hex != NULL)
    {
      g_autoptr(GString) dump = g_string_new (NULL);

      fs_hex_dumper_flush (session.hex, dump);
      write_out (stdout, dump->str, dump->len);
    }
  return session.status;
}
