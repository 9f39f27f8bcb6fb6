/* fs-boot-log.c
 *
 * The lines matched are ESP-IDF's and the ESP32 ROM's own wording (v4.4
 * and v5.x: bootloader_support's bootloader_utility.c, esp_image_format.c
 * and flash_partitions.c, esp_system's startup and panic code, the
 * ROM's ets_main), which the virtual board prints word for word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fs-boot-log-private.h"
#include "fs-flash.h"

G_DEFINE_FINAL_TYPE (FsBootLog, fs_boot_log, G_TYPE_OBJECT)

const char *
fs_boot_state_to_string (FsBootState state)
{
  switch (state)
    {
    case FS_BOOT_STATE_PENDING: return "pending";
    case FS_BOOT_STATE_RUNS: return "runs";
    case FS_BOOT_STATE_DOES_NOT_BOOT: return "does-not-boot";
    case FS_BOOT_STATE_UNKNOWN: return "unknown";
    default: g_return_val_if_reached (NULL);
    }
}

static void
table_entry_clear (TableEntry *entry)
{
  g_free (entry->label);
  g_free (entry->problem);
}

static void
fs_boot_log_finalize (GObject *object)
{
  FsBootLog *self = FS_BOOT_LOG (object);

  fs_ansi_stripper_free (self->stripper);
  g_byte_array_unref (self->line);
  g_array_unref (self->table);
  g_free (self->image_problem);
  g_free (self->bootloader_flash);
  g_free (self->reason);
  g_free (self->hint);
  g_free (self->evidence);
  g_free (self->project);
  g_free (self->version);

  G_OBJECT_CLASS (fs_boot_log_parent_class)->finalize (object);
}

static void
fs_boot_log_class_init (FsBootLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_boot_log_finalize;
}

static void
fs_boot_log_init (FsBootLog *self)
{
  self->stripper = fs_ansi_stripper_new ();
  self->line = g_byte_array_new ();
  self->table = g_array_new (FALSE, TRUE, sizeof (TableEntry));
  g_array_set_clear_func (self->table, (GDestroyNotify) table_entry_clear);
  self->expected_offset = G_MAXUINT32;
  self->offset = G_MAXUINT32;
}

FsBootLog *
fs_boot_log_new (guint baud)
{
  FsBootLog *self = g_object_new (FS_TYPE_BOOT_LOG, NULL);

  self->baud = baud;
  return self;
}

void
fs_boot_log_set_expected_offset (FsBootLog *self,
                                 guint32    offset)
{
  g_return_if_fail (FS_IS_BOOT_LOG (self));
  self->expected_offset = offset;
}

/* ---- the verdict ---- */

static gboolean
decided (FsBootLog *self)
{
  return self->state == FS_BOOT_STATE_DOES_NOT_BOOT || self->finished;
}

void
fs_boot_log_set_text (char       **field,
                      const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

void
fs_boot_log_fail (FsBootLog     *self,
      FsBootProblem  problem,
      const char    *line,
      const char    *reason,
      const char    *hint)
{
  self->state = FS_BOOT_STATE_DOES_NOT_BOOT;
  self->problem = problem;
  fs_boot_log_set_text (&self->reason, reason);
  fs_boot_log_set_text (&self->hint, hint);
  fs_boot_log_set_text (&self->evidence, line);
}

void
fs_boot_log_runs (FsBootLog *self)
{
  self->app_started = TRUE;
  self->app_lines++;
  if (self->state == FS_BOOT_STATE_PENDING)
    self->state = FS_BOOT_STATE_RUNS;
}

char *
fs_boot_log_megabytes (guint64 bytes)
{
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    return g_strdup_printf (_("%u MB"), (guint) (bytes / (1024 * 1024)));
  return fs_format_size (bytes);
}

const char *
fs_boot_log_label_at (FsBootLog *self,
          guint32    offset)
{
  for (guint i = 0; i < self->table->len; i++)
    {
      const TableEntry *entry = &g_array_index (self->table, TableEntry, i);

      if (entry->offset == offset)
        return entry->label;
    }
  return NULL;
}

char *
fs_boot_log_describe_offset (FsBootLog *self,
                 guint32    offset)
{
  const char *label = fs_boot_log_label_at (self, offset);

  if (label != NULL)
    return g_strdup_printf (_("“%s” at 0x%06X"), label, offset);
  return g_strdup_printf ("0x%06X", offset);
}

/* ---- the ROM ---- */

static gboolean
reason_is_software (const char *name)
{
  return strstr (name, "SW_CPU") != NULL || strstr (name, "SW_RESET") != NULL || strstr (name, "PANIC") != NULL;
}

/* A reset after the app started: a watchdog's is a crash at once; a
 * software one is, twice in a row, each before the app said much (one
 * esp_restart() of an app that runs is not) */
static void
app_reset (FsBootLog  *self,
           const char *line,
           const char *name)
{
  g_autofree char *reason = NULL;
  gboolean quick = self->app_lines < QUICK_RESTART_LINES;

  if (strstr (name, "WDT") != NULL)
    reason = g_strdup_printf (_("A watchdog reset the app (%s): a task that never yields, or an interrupt that "
                                "takes too long, stops the board."), name);
  else if (reason_is_software (name) && quick && ++self->quick_restarts >= RESTARTS_FOR_A_LOOP)
    reason = g_strdup_printf (_("The app restarts over and over (%s): it resets before it gets going, without "
                                "saying why."), name);
  else if (!quick)
    self->quick_restarts = 0;
  if (reason != NULL)
    fs_boot_log_fail (self, FS_BOOT_PROBLEM_CRASH, line, reason,
                      _("Watch the monitor for what it prints before each reset; the app’s code decides when "
                        "it restarts (esp_restart()) and how long its tasks may run."));
}

/* "rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)": a new boot */
static void
rom_reset (FsBootLog  *self,
           const char *line)
{
  const char *open = strchr (line, '(');
  const char *close = open != NULL ? strchr (open, ')') : NULL;
  g_autofree char *name = open != NULL && close != NULL ? g_strndup (open + 1, close - open - 1) : g_strdup ("");

  self->boots++;
  self->phase = PHASE_ROM;
  if (strstr (line, "DOWNLOAD") != NULL)
    {
      fs_boot_log_fail (self, FS_BOOT_PROBLEM_DOWNLOAD_MODE, line,
            _("The board is still in download mode after the reset: IO0 was held low as it started, so the "
              "ROM waits for a flasher instead of starting the firmware."),
            _("Remove the jumper between IO0 and GND (G23 on a FiPy), or release the BOOT button, then press "
              "Reset."));
      return;
    }
  if (strstr (name, "BROWN") != NULL)
    {
      fs_boot_log_fail (self, FS_BOOT_PROBLEM_BROWNOUT, line,
            _("The board reset itself because its supply voltage dropped too low (a brownout)."),
            _("Use a shorter or better USB cable, a powered hub, or a supply that gives enough current; "
              "Wi-Fi and a display at start draw the most."));
      return;
    }
  if (self->app_started)
    app_reset (self, line, name);
  self->app_lines = 0;
}

static void
rom_invalid_header (FsBootLog  *self,
                    const char *line)
{
  guint value = 0;
  g_autofree char *reason = NULL;

  sscanf (line, "invalid header: 0x%x", &value);
  if (value == 0xFFFFFFFF)
    reason = g_strdup (_("There is no bootloader at 0x1000: the flash is erased there (the ROM reads "
                         "0xffffffff), so the ROM restarts the board over and over."));
  else
    reason = g_strdup_printf (_("There is no valid bootloader at 0x1000: the ROM reads 0x%08x there, not an "
                                "image, so it restarts the board over and over."), value);
  fs_boot_log_fail (self, FS_BOOT_PROBLEM_NO_BOOTLOADER, line, reason, _(FS_BOOT_LOG_REWRITE_BOOTLOADER));
}

/* The ROM's lines: TRUE when @line is one */
static gboolean
rom_line (FsBootLog  *self,
          const char *line)
{
  static const char * const chatter[] = {
    "ets ", "ESP-ROM:", "Build:", "configsip:", "clk_drv:", "mode:", "load:", "ets_main.c", "SPIWP:",
  };

  if (g_str_has_prefix (line, "rst:0x"))
    rom_reset (self, line);
  else if (g_str_has_prefix (line, "waiting for download"))
    rom_reset (self, "boot: DOWNLOAD");
  else if (g_str_has_prefix (line, "invalid header: "))
    rom_invalid_header (self, line);
  else if (g_str_has_prefix (line, "flash read err"))
    fs_boot_log_fail (self, FS_BOOT_PROBLEM_BOOTLOADER_DAMAGED, line,
          _("The ROM could not read the bootloader at 0x1000 (“flash read err”): the flash is damaged, or "
            "encrypted with a key the chip does not hold."),
          _(FS_BOOT_LOG_REWRITE_BOOTLOADER));
  else if (g_str_has_prefix (line, "csum err"))
    fs_boot_log_fail (self, FS_BOOT_PROBLEM_BOOTLOADER_DAMAGED, line,
          _("The bootloader at 0x1000 is damaged: its checksum is wrong, so the ROM does not start it."),
          _(FS_BOOT_LOG_REWRITE_BOOTLOADER));
  else if (g_str_has_prefix (line, "entry 0x"))
    self->phase = PHASE_BOOTLOADER;
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (chatter); i++)
        if (g_str_has_prefix (line, chatter[i]))
          return TRUE;
      return FALSE;
    }
  return TRUE;
}

/* ---- crashes, which say so on their own line ---- */

static gboolean
crash_line (FsBootLog  *self,
            const char *line)
{
  static const char * const crashes[] = {
    "Guru Meditation Error:", "abort() was called", "assert failed:", "assertion \"", "***ERROR*** A stack overflow",
    "CORRUPT HEAP:", "Stack smashing protect failure",
  };
  g_autofree char *reason = NULL;

  if (g_str_has_prefix (line, "Brownout detector was triggered"))
    {
      fs_boot_log_fail (self, FS_BOOT_PROBLEM_BROWNOUT, line,
            _("The board reset itself because its supply voltage dropped too low: a brownout (“Brownout "
              "detector was triggered”)."),
            _("Use a shorter or better USB cable, a powered hub, or a supply that gives enough current; "
              "Wi-Fi and a display at start draw the most."));
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (crashes); i++)
    if (g_str_has_prefix (line, crashes[i]))
      {
        reason = g_strdup_printf (_("The app crashes as it starts, and again each time the board restarts it: "
                                    "“%s”"), line);
        fs_boot_log_fail (self, FS_BOOT_PROBLEM_CRASH, line, reason,
              _("The monitor shows the whole report, with the backtrace: decode it with the app’s ELF file "
                "(idf.py monitor, or addr2line) to find the line that crashed."));
        return TRUE;
      }
  return FALSE;
}

/* ---- ESP-IDF's log lines: "I (29) boot: …" ---- */

static gboolean
parse_idf_line (const char  *line,
                char        *level,
                char       **tag,
                const char **message)
{
  const char *close, *colon;

  if (strchr ("EWIDV", line[0]) == NULL || line[0] == '\0' || line[1] != ' ' || line[2] != '(')
    return FALSE;
  close = strchr (line + 3, ')');
  if (close == NULL || close[1] != ' ')
    return FALSE;
  colon = strstr (close + 2, ": ");
  if (colon == NULL)
    return FALSE;
  *level = line[0];
  *tag = g_strndup (close + 2, colon - (close + 2));
  *message = colon + 2;
  return TRUE;
}

static gboolean
is_bootloader_tag (const char *tag)
{
  return g_str_equal (tag, "boot") || g_str_has_prefix (tag, "boot.") || g_str_equal (tag, "boot_comm") ||
         g_str_equal (tag, "esp_image") || g_str_equal (tag, "flash_parts") ||
         g_str_equal (tag, "bootloader_flash") || g_str_equal (tag, "qio_mode") ||
         g_str_has_prefix (tag, "secure_boot") || g_str_equal (tag, "flash_encrypt");
}

/* What the app's start-up code says about it */
static void
app_message (FsBootLog  *self,
             const char *line,
             const char *tag,
             const char *message)
{
  guint detected = 0, header = 0;

  if (g_str_has_prefix (message, "Project name:"))
    {
      fs_boot_log_set_text (&self->project, message + strlen ("Project name:"));
      g_strstrip (self->project);
    }
  else if (g_str_has_prefix (message, "App version:"))
    {
      fs_boot_log_set_text (&self->version, message + strlen ("App version:"));
      g_strstrip (self->version);
    }
  else if (sscanf (message, "Detected size(%uk) smaller than the size in the binary image header(%uk)",
                   &detected, &header) == 2)
    {
      g_autofree char *chip = fs_boot_log_megabytes ((guint64) detected * 1024);
      g_autofree char *built = fs_boot_log_megabytes ((guint64) header * 1024);
      g_autofree char *reason = g_strdup_printf (_("The app was built for %s of flash, but the chip has %s: it "
                                                   "stops as it starts."), built, chip);

      fs_boot_log_fail (self, FS_BOOT_PROBLEM_FLASH_SIZE, line, reason,
            _("Build the app for the board’s flash size (CONFIG_ESPTOOLPY_FLASHSIZE in ESP-IDF, "
              "Tools › Flash Size in Arduino)."));
    }
  else if (g_str_has_prefix (message, "Calling app_main()") || g_str_has_prefix (message, "Starting scheduler"))
    fs_boot_log_runs (self);
  else if (g_str_has_prefix (message, "Pro cpu start user code") ||
           g_str_has_prefix (message, "Application information"))
    self->app_started = TRUE;
  else if (!g_str_equal (tag, "cpu_start") && !g_str_equal (tag, "app_init") && !g_str_equal (tag, "app_start") &&
           !g_str_equal (tag, "heap_init") && !g_str_equal (tag, "efuse_init") && !g_str_equal (tag, "spi_flash") &&
           !g_str_equal (tag, "main_task") && !g_str_equal (tag, "sleep") && !g_str_equal (tag, "esp_psram"))
    fs_boot_log_runs (self);   /* the app's own log */
}

static void
idf_line (FsBootLog  *self,
          const char *line,
          char        level,
          const char *tag,
          const char *message)
{
  if (self->phase == PHASE_BEFORE_ROM)
    return;
  if (self->phase == PHASE_ROM)
    self->phase = PHASE_BOOTLOADER;
  if (self->phase == PHASE_BOOTLOADER && is_bootloader_tag (tag))
    fs_boot_log_bootloader_message (self, line, level, tag, message);
  else
    {
      if (self->phase == PHASE_BOOTLOADER && is_bootloader_tag (tag) == FALSE)
        self->phase = PHASE_LOADED;
      app_message (self, line, tag, message);
    }
}

/* Printable text, not a stream read at the wrong baud (whose bytes the
 * line's reading made U+FFFD) */
static gboolean
is_text (const char *line)
{
  glong printable = 0, len = g_utf8_strlen (line, -1);

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0xFFFD && g_unichar_isprint (c))
        printable++;
    }
  return len > 0 && printable * 10 >= len * 9;
}

static void
read_line (FsBootLog *self,
           char      *line)
{
  char level = 0;
  g_autofree char *tag = NULL;
  const char *message = NULL;

  g_strchomp (line);
  if (*line == '\0' || decided (self))
    return;
  /* What came before the reset is the last boot's */
  if ((self->phase != PHASE_BEFORE_ROM && crash_line (self, line)) || rom_line (self, line))
    return;
  if (parse_idf_line (line, &level, &tag, &message))
    idf_line (self, line, level, tag, message);
  /* The app's own words, after the bootloader handed over */
  else if (self->phase >= PHASE_BOOTLOADER && is_text (line))
    {
      self->phase = PHASE_LOADED;
      fs_boot_log_runs (self);
    }
}

/* ---- feeding ---- */

/* Read as UTF-8: what a line gives (the evidence, a project's name) is
 * text, whatever noise came in */
static void
end_line (FsBootLog *self)
{
  g_autofree char *line = self->line->len > 0 ? g_utf8_make_valid ((const char *) self->line->data, self->line->len)
                                              : g_strdup ("");

  g_byte_array_set_size (self->line, 0);
  read_line (self, line);
}

void
fs_boot_log_feed (FsBootLog    *self,
                  const guint8 *data,
                  gsize         len)
{
  g_autoptr(GByteArray) text = g_byte_array_new ();

  g_return_if_fail (FS_IS_BOOT_LOG (self));
  g_return_if_fail (data != NULL || len == 0);

  if (self->finished)
    return;
  fs_ansi_stripper_feed (self->stripper, data, len, text);
  for (guint i = 0; i < text->len; i++)
    {
      guint8 byte = text->data[i];

      if (byte == '\n')
        end_line (self);
      else if (byte != '\r' && byte != '\0' && self->line->len < MAX_LINE)
        g_byte_array_append (self->line, &byte, 1);
    }
}

void
fs_boot_log_finish (FsBootLog *self)
{
  g_return_if_fail (FS_IS_BOOT_LOG (self));

  if (self->finished)
    return;
  if (self->line->len > 0)
    end_line (self);
  self->finished = TRUE;
  if (self->state != FS_BOOT_STATE_PENDING)
    return;
  self->state = FS_BOOT_STATE_UNKNOWN;
  if (self->boots == 0)
    {
      g_autofree char *reason = g_strdup_printf (_("Nothing recognisable came from the board at %u baud."),
                                                 self->baud);

      fs_boot_log_set_text (&self->reason, reason);
      fs_boot_log_set_text (&self->hint, _("Its app may print at another baud (choose it in the monitor), or print nothing; "
                               "the board may also need a reset by hand to start."));
    }
  else
    {
      fs_boot_log_set_text (&self->reason, _("The board began to boot, but stopped saying anything before its app started."));
      fs_boot_log_set_text (&self->hint, _("Watch the monitor: the last lines it shows tell where it stopped."));
    }
}

/* ---- getters ---- */

FsBootState
fs_boot_log_get_state (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), FS_BOOT_STATE_PENDING);
  return self->state;
}

gboolean
fs_boot_log_get_decided (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), FALSE);
  return decided (self);
}

FsBootProblem
fs_boot_log_get_problem (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), FS_BOOT_PROBLEM_NONE);
  return self->problem;
}

const char *
fs_boot_log_get_reason (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), NULL);
  return self->reason;
}

const char *
fs_boot_log_get_hint (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), NULL);
  return self->hint;
}

const char *
fs_boot_log_get_evidence (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), NULL);
  return self->evidence;
}

const char *
fs_boot_log_get_project (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), NULL);
  return self->project;
}

const char *
fs_boot_log_get_version (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), NULL);
  return self->version;
}

const char *
fs_boot_log_get_partition (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), NULL);
  return self->offset != G_MAXUINT32 ? fs_boot_log_label_at (self, self->offset) : NULL;
}

guint32
fs_boot_log_get_offset (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), G_MAXUINT32);
  return self->offset;
}

guint
fs_boot_log_get_n_restarts (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), 0);
  return self->boots > 0 ? self->boots - 1 : 0;
}

gboolean
fs_boot_log_get_app_started (FsBootLog *self)
{
  g_return_val_if_fail (FS_IS_BOOT_LOG (self), FALSE);
  return self->app_started;
}
