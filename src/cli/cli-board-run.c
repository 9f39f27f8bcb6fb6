/* cli-board-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cli-board-run.h"
#include "cli-virtual-hands.h"
#include "fs-board-catalog.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-transport-factory.h"

#define SIM_SCHEME     "sim:"
#define BAR_CELLS      24
#define REDRAW_US      (100 * G_TIME_SPAN_MILLISECOND)
#define DEFAULT_COLUMNS 80

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
  gboolean      on_terminal;
  char         *step;          /* the last step shown */
  guint         bar_columns;   /* how much of the line the bar covers, 0: none */
  gint64        drawn_at;
} Runner;

void
cli_board_options_clear (CliBoardOptions *options)
{
  g_clear_pointer (&options->port, g_free);
  g_clear_pointer (&options->board_id, g_free);
  g_clear_pointer (&options->before, g_free);
  g_clear_pointer (&options->after, g_free);
  g_clear_pointer (&options->stub_path, g_free);
  g_clear_object (&options->profile);
}

static void
add_options (GOptionContext  *context,
             CliBoardOptions *options)
{
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_STRING, &options->port,
      N_("The board's port: a device (/dev/ttyUSB0), socket://HOST:PORT, rfc2217://HOST:PORT or sim:BOARD-ID"), N_("PORT") },
    { "baud", 'b', 0, G_OPTION_ARG_INT, &options->baud,
      N_("The baud after connecting (default: the board's, else 115200)"), N_("BAUD") },
    { "board", 0, 0, G_OPTION_ARG_STRING, &options->board_id,
      N_("The board's profile: its reset method, baud and flash size"), N_("ID") },
    { "before", 0, 0, G_OPTION_ARG_STRING, &options->before,
      N_("How to enter download mode: default-reset, no-reset or manual"), N_("HOW") },
    { "after", 0, 0, G_OPTION_ARG_STRING, &options->after,
      N_("What to do at the end: hard-reset or no-reset"), N_("HOW") },
    { "no-stub", 0, 0, G_OPTION_ARG_NONE, &options->no_stub,
      N_("Use the ROM loader only, not an installed stub loader"), NULL },
    { "stub", 0, 0, G_OPTION_ARG_FILENAME, &options->stub_path,
      N_("The stub loader to use (esptool's or esptool-js's JSON file for the chip)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->as_json, N_("Print the results as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static gboolean
parse_before (const char *text,
              FsBefore   *before)
{
  if (g_strcmp0 (text, "default-reset") == 0)
    *before = FS_BEFORE_DEFAULT_RESET;
  else if (g_strcmp0 (text, "no-reset") == 0)
    *before = FS_BEFORE_NO_RESET;
  else if (g_strcmp0 (text, "manual") == 0)
    *before = FS_BEFORE_MANUAL;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_after (const char *text,
             FsAfter    *after)
{
  if (g_strcmp0 (text, "hard-reset") == 0)
    *after = FS_AFTER_HARD_RESET;
  else if (g_strcmp0 (text, "no-reset") == 0)
    *after = FS_AFTER_NO_RESET;
  else
    return FALSE;
  return TRUE;
}

/* --board's profile, else a sim: port's; NULL and no error when neither names one */
static FsBoardProfile *
find_profile (CliBoardOptions  *options,
              GError          **error)
{
  g_autofree char *user_dir = g_build_filename (g_get_user_config_dir (), "flash-studio", "boards", NULL);
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (user_dir);
  FsBoardProfile *profile;

  if (options->board_id != NULL)
    {
      profile = fs_board_catalog_lookup (catalog, options->board_id);
      if (profile == NULL)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                       _("there is no board “%s”: give the id of a shipped board or of one in %s"),
                       options->board_id, user_dir);
          return NULL;
        }
      return g_object_ref (profile);
    }
  if (g_str_has_prefix (options->port, SIM_SCHEME))
    {
      profile = fs_board_catalog_lookup (catalog, options->port + strlen (SIM_SCHEME));
      if (profile != NULL)
        return g_object_ref (profile);
    }
  return NULL;
}

static int
check_options (GOptionContext  *context,
               CliBoardOptions *options)
{
  g_autoptr(GError) error = NULL;
  FsBefore before;
  FsAfter after;

  if (options->port == NULL)
    return cli_usage_error (context, _("give the board's port with --port (a device such as /dev/ttyUSB0, "
                                       "socket://HOST:PORT, rfc2217://HOST:PORT or sim:BOARD-ID)"));
  if (options->baud < 0)
    return cli_usage_error (context, _("--baud must be a positive number"));
  if (options->before != NULL && !parse_before (options->before, &before))
    return cli_usage_error (context, _("--before is one of default-reset, no-reset and manual, not “%s”"), options->before);
  if (options->after != NULL && !parse_after (options->after, &after))
    return cli_usage_error (context, _("--after is one of hard-reset and no-reset, not “%s”"), options->after);
  if (options->no_stub && options->stub_path != NULL)
    return cli_usage_error (context, _("choose one of --no-stub and --stub"));

  if (options->stub_path != NULL)
    {
      g_autoptr(GBytes) stub = cli_read_file (options->stub_path, &error);
      if (stub == NULL)
        {
          g_printerr ("%s: %s: %s\n", g_get_prgname (), options->stub_path, error->message);
          return CLI_EXIT_INVALID_INPUT;
        }
    }

  options->profile = find_profile (options, &error);
  if (error != NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return CLI_EXIT_INVALID_INPUT;
    }
  return CLI_EXIT_OK;
}

int
cli_board_parse_options (GOptionContext    *context,
                         CliBoardOptions   *options,
                         int               *argc,
                         char            ***argv)
{
  add_options (context, options);
  if (!cli_parse_options (context, argc, argv))
    return CLI_EXIT_USAGE;
  return check_options (context, options);
}

gboolean
cli_board_parse_number (const char  *text,
                        guint32     *out,
                        GError     **error)
{
  guint64 value;

  if (!fs_parse_size (text, &value, error))
    return FALSE;
  if (value > G_MAXUINT32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("%s is beyond 4 GiB, the most an ESP32's flash can hold"), text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

FsJob *
cli_board_new_job (CliBoardOptions  *options,
                   FsJobKind         kind,
                   GError          **error)
{
  g_autoptr(FsTransport) transport = fs_transport_new_for_port (options->port, error);
  g_autoptr(FsJob) job = NULL;
  FsBefore before;
  FsAfter after;
  guint baud = options->baud;

  if (transport == NULL)
    return NULL;
  job = fs_job_new (kind, transport);
  if (options->profile != NULL)
    fs_job_set_profile (job, options->profile);
  if (options->before != NULL && parse_before (options->before, &before))
    fs_job_set_before (job, before);
  if (options->after != NULL && parse_after (options->after, &after))
    fs_job_set_after (job, after);
  if (baud == 0 && options->profile != NULL)
    baud = fs_board_profile_get_default_baud (options->profile);
  fs_job_set_baud (job, baud);
  if (options->no_stub)
    fs_job_set_stub (job, FALSE, NULL);
  else if (options->stub_path != NULL)
    fs_job_set_stub (job, TRUE, options->stub_path);
  return g_steal_pointer (&job);
}

static guint
terminal_columns (void)
{
  struct winsize size = { 0 };

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return DEFAULT_COLUMNS;
}

/* Before anything else goes to stderr: the bar would run into it */
static void
clear_bar (Runner *runner)
{
  if (runner->bar_columns == 0)
    return;
  g_printerr ("\r%*s\r", (int) runner->bar_columns, "");
  runner->bar_columns = 0;
}

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600, (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* "[######------------------]  25%  STEP  16.0 KiB of 64.0 KiB  45.1 KiB/s  0:03 left",
 * the step cut to fit the terminal */
static char *
format_bar (const FsProgressSnapshot *snapshot,
            guint                     columns)
{
  GString *line = g_string_new ("[");
  g_autoptr(GString) figures = g_string_new (NULL);
  double fraction = CLAMP (snapshot->fraction, 0.0, 1.0);
  guint filled = fraction * BAR_CELLS;
  glong room;

  for (guint i = 0; i < BAR_CELLS; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append_printf (line, "] %3u%%", (guint) (fraction * 100));

  if (snapshot->bytes_total > 0)
    {
      g_autofree char *done = fs_format_size_approx (snapshot->bytes_done);
      g_autofree char *total = fs_format_size_approx (snapshot->bytes_total);
      g_string_append_printf (figures, _("  %s of %s"), done, total);
    }
  if (snapshot->bytes_per_second > 0)
    {
      g_autofree char *rate = fs_format_rate (snapshot->bytes_per_second);
      g_string_append_printf (figures, "  %s", rate);
    }
  if (snapshot->eta_seconds >= 0)
    {
      g_autofree char *eta = format_duration (snapshot->eta_seconds);
      g_string_append_printf (figures, _("  %s left"), eta);
    }

  /* One column stays free: a full line would wrap on some terminals */
  room = (glong) columns - 1 - g_utf8_strlen (line->str, -1) - g_utf8_strlen (figures->str, -1) - 2;
  if (snapshot->step != NULL && room > 0)
    {
      g_autofree char *step = g_utf8_substring (snapshot->step, 0, MIN (room, g_utf8_strlen (snapshot->step, -1)));
      g_string_append_printf (line, "  %s", step);
    }
  g_string_append (line, figures->str);
  return g_string_free (line, FALSE);
}

static void
on_progress (const FsProgressSnapshot *snapshot,
             gpointer                  user_data)
{
  Runner *runner = user_data;
  gboolean new_step = snapshot->step != NULL && g_strcmp0 (snapshot->step, runner->step) != 0;
  gint64 now = g_get_monotonic_time ();

  if (new_step)
    {
      g_free (runner->step);
      runner->step = g_strdup (snapshot->step);
    }

  if (!runner->on_terminal)
    {
      /* A log: a line when a step starts, never one per block */
      if (new_step)
        g_printerr ("%s\n", snapshot->step);
    }
  else if (new_step || now - runner->drawn_at >= REDRAW_US)
    {
      guint columns = terminal_columns ();
      g_autofree char *bar = format_bar (snapshot, columns);
      guint width = g_utf8_strlen (bar, -1);

      g_printerr ("\r%s%*s", bar, (int) (runner->bar_columns > width ? runner->bar_columns - width : 0), "");
      runner->bar_columns = MAX (width, runner->bar_columns);
      runner->drawn_at = now;
    }
}

static void
on_prompt (FsJob           *job,
           FsJobPromptKind  kind,
           const char      *title,
           GStrv            steps,
           gpointer         user_data)
{
  Runner *runner = user_data;

  clear_bar (runner);
  g_printerr ("%s\n", title);
  for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
    g_printerr ("  %u. %s\n", i + 1, steps[i]);
  if (kind == FS_JOB_PROMPT_DOWNLOAD_MODE)
    g_printerr (_("Waiting for the board… (Ctrl+C to stop)\n"));
}

static void
on_prompt_done (FsJob           *job,
                FsJobPromptKind  kind,
                gpointer         user_data)
{
  Runner *runner = user_data;

  clear_bar (runner);
  if (kind == FS_JOB_PROMPT_DOWNLOAD_MODE)
    g_printerr (_("Board detected.\n"));
}

static void
on_note (FsJob      *job,
         const char *message,
         gpointer    user_data)
{
  Runner *runner = user_data;

  clear_bar (runner);
  g_printerr ("%s\n", message);
}

static gboolean
on_interrupt (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Runner *runner = user_data;

  runner->result = g_object_ref (result);
  g_main_loop_quit (runner->loop);
}

/* The job's progress is still shown while the check runs: its last step */
static gboolean
run_boot_check (Runner        *runner,
                FsMonitor     *monitor,
                FsBootCheck   *check,
                GCancellable  *cancellable,
                FsBootLog    **boot,
                GError       **error)
{
  if (!fs_monitor_start (monitor, error))
    return FALSE;
  fs_boot_check_run_async (check, cancellable, on_job_done, runner);
  g_main_loop_run (runner->loop);
  *boot = fs_boot_check_run_finish (check, runner->result, error);
  g_clear_object (&runner->result);
  return *boot != NULL;
}

gboolean
cli_board_run_job (FsJob   *job,
                   GError **error)
{
  return cli_board_run_job_and_check (job, NULL, NULL, NULL, error);
}

gboolean
cli_board_run_job_and_check (FsJob        *job,
                             FsMonitor    *monitor,
                             FsBootCheck  *check,
                             FsBootLog   **boot,
                             GError      **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Runner runner = {
    .loop = loop,
    .on_terminal = isatty (STDERR_FILENO),
  };
  FsProgress *progress = fs_job_get_progress (job);
  g_autoptr(CliVirtualHands) hands = NULL;
  guint watch, interrupt;
  gboolean ok;

  if (!fs_job_check (job, error))
    return FALSE;

  watch = fs_progress_watch (progress, NULL, on_progress, &runner);
  interrupt = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  g_signal_connect (job, "prompt", G_CALLBACK (on_prompt), &runner);
  g_signal_connect (job, "prompt-done", G_CALLBACK (on_prompt_done), &runner);
  g_signal_connect (job, "note", G_CALLBACK (on_note), &runner);
  hands = cli_virtual_hands_new (job);

  fs_job_run_async (job, cancellable, on_job_done, &runner);
  g_main_loop_run (loop);
  ok = fs_job_run_finish (job, runner.result, error);
  g_clear_object (&runner.result);
  if (ok && check != NULL)
    ok = run_boot_check (&runner, monitor, check, cancellable, boot, error);

  g_clear_pointer (&hands, cli_virtual_hands_free);
  g_signal_handlers_disconnect_by_data (job, &runner);
  g_source_remove (interrupt);
  fs_progress_unwatch (progress, watch);
  clear_bar (&runner);
  g_free (runner.step);
  return ok;
}

/* What the user got wrong, as opposed to what the board or port did */
static gboolean
error_is_input (const GError *error)
{
  if (error->domain == G_FILE_ERROR)
    return TRUE;
  return error->domain == FS_ERROR &&
         (error->code == FS_ERROR_INVALID_DATA ||
          error->code == FS_ERROR_INVALID_ARGUMENT ||
          error->code == FS_ERROR_NOT_SUPPORTED ||
          error->code == FS_ERROR_VERIFY_FAILED ||
          error->code == FS_ERROR_WOULD_NOT_BOOT ||
          error->code == FS_ERROR_FLASH_SIZE);
}

int
cli_board_fail (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, FS_ERROR, FS_ERROR_CANCELLED))
    {
      g_printerr (_("Cancelled.\n"));
      return CLI_EXIT_BOARD;
    }
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return error_is_input (error) ? CLI_EXIT_INVALID_INPUT : CLI_EXIT_BOARD;
}

/* The state in the text output; the JSON keeps fs_region_state_to_string() */
static const char *
region_state_label (FsRegionState state)
{
  switch (state)
    {
    case FS_REGION_PENDING: return C_("region state", "pending");
    case FS_REGION_SKIPPED: return C_("region state", "skipped");
    case FS_REGION_ERASED: return C_("region state", "erased");
    case FS_REGION_WRITTEN: return C_("region state", "written");
    case FS_REGION_VERIFIED: return C_("region state", "verified");
    case FS_REGION_DIFFERS: return C_("region state", "differs");
    case FS_REGION_INTERRUPTED: return C_("region state", "interrupted");
    default: g_return_val_if_reached (NULL);
    }
}

static void
print_region (const FsJobRegion *region)
{
  g_autofree char *offset = cli_format_address (region->offset);
  g_autofree char *written = fs_format_size_approx (region->bytes_written);
  g_autofree char *skipped = fs_format_size_approx (region->bytes_skipped);
  const char *state = region_state_label (region->state);

  switch (region->state)
    {
    case FS_REGION_WRITTEN:
    case FS_REGION_SKIPPED:
      g_print (_("%s at %s: %s, %s written, %s already on the board\n"),
               region->name, offset, state, written, skipped);
      break;
    case FS_REGION_INTERRUPTED:
      {
        g_autofree char *stopped_at = cli_format_address (region->stopped_at);
        g_print (_("%s at %s: %s at %s, %s written, %s already on the board\n"),
                 region->name, offset, state, stopped_at, written, skipped);
      }
      break;
    case FS_REGION_PENDING:
    case FS_REGION_ERASED:
    case FS_REGION_VERIFIED:
    case FS_REGION_DIFFERS:
    default:
      /* TRANSLATORS: "app.bin at 0x010000: verified" */
      g_print (_("%s at %s: %s\n"), region->name, offset, state);
      break;
    }
}

void
cli_board_print_regions (FsJob *job)
{
  for (guint i = 0; i < fs_job_get_n_regions (job); i++)
    print_region (fs_job_get_region (job, i));
}

void
cli_board_add_regions_json (JsonBuilder *builder,
                            FsJob       *job)
{
  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fs_job_get_n_regions (job); i++)
    {
      const FsJobRegion *region = fs_job_get_region (job, i);

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "name", region->name);
      cli_json_member_int (builder, "offset", region->offset);
      cli_json_member_int (builder, "size", region->size);
      cli_json_member_string (builder, "state", fs_region_state_to_string (region->state));
      cli_json_member_int (builder, "bytes_written", region->bytes_written);
      cli_json_member_int (builder, "bytes_skipped", region->bytes_skipped);
      if (region->state == FS_REGION_INTERRUPTED)
        cli_json_member_int (builder, "stopped_at", region->stopped_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}
