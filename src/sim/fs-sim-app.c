/* fs-sim-app.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-sim-app.h"

#define FSSIM_PREFIX             "FSSIM:"
#define FSSIM_PRINT              "FSSIM:PRINT:"
#define FSSIM_REPEAT             "FSSIM:REPEAT:"
#define FSSIM_BAUD               "FSSIM:BAUD:"
#define FSSIM_PANIC              "FSSIM:PANIC:"
#define FSSIM_ABORT              "FSSIM:ABORT"
#define FSSIM_BROWNOUT           "FSSIM:BROWNOUT"
#define FSSIM_NOPROGRAM          "FSSIM:NOPROGRAM:"
#define FSSIM_MAX_BAUD           5000000u
#define FSSIM_MAX_LINES          64
#define FSSIM_MAX_LINE_LEN       256
#define FSSIM_MAX_REPEAT_MS      3600000u

/* What ESP-IDF v5.1's panic handler prints (esp_system/panic.c,
 * port/panic_handler.c, port/arch/xtensa/panic_arch.c and debug_helpers.c),
 * what its abort() says (newlib/abort.c) and its brownout interrupt
 * (esp_system/port/brownout.c). Not translated: a real board prints them
 * in English. The registers and the backtrace are those of a crash in
 * app_main(), called by main_task, started by vPortTaskWrapper. */
#define XTENSA_EXCCAUSE_UNNAMED  0x3F
#define PANIC_CORE               0

typedef struct {
  guint32 pc;
  guint32 sp;
} Frame;

/* app_main() (the PC less 3, as the backtrace prints a return address),
 * main_task(), vPortTaskWrapper() */
static const Frame app_frames[] = {
  { 0x400d1f67, 0x3ffb4e70 },
  { 0x400d2b1a, 0x3ffb4e90 },
  { 0x40089e6d, 0x3ffb4eb0 },
};

/* panic_abort(), esp_system_abort(), abort(): above app_main() on the
 * stack of an abort */
static const Frame abort_frames[] = {
  { 0x40081a5e, 0x3ffb4e10 },
  { 0x400856d1, 0x3ffb4e30 },
  { 0x4008a1fe, 0x3ffb4e50 },
};

/* The register dump's order, 4 a line; EXCCAUSE is the exception's */
static const char * const register_names[] = {
  "PC", "PS", "A0", "A1", "A2", "A3", "A4", "A5",
  "A6", "A7", "A8", "A9", "A10", "A11", "A12", "A13",
  "A14", "A15", "SAR", "EXCCAUSE", "EXCVADDR", "LBEG", "LEND", "LCOUNT",
};
#define EXCCAUSE_INDEX 19

static const guint32 register_values[] = {
  0x400d1f6a, 0x00060c30, 0x800d2b1d, 0x3ffb4e70, 0x00000000, 0x3f4035b4, 0x00000001, 0x3ffb4e90,
  0x00000000, 0x00000000, 0x800d1f68, 0x3ffb4e50, 0x00000000, 0x3ffb7f0c, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000004, 0x00000000, 0x00000000, 0x4000c2e0, 0x4000c2f6, 0x00000000,
};

G_STATIC_ASSERT (G_N_ELEMENTS (register_names) == G_N_ELEMENTS (register_values));

/* The Xtensa exception causes by the names ESP-IDF prints for them */
static const char * const exception_names[] = {
  [0] = "IllegalInstruction", [1] = "Syscall", [2] = "InstructionFetchError",
  [3] = "LoadStoreError", [4] = "Level1Interrupt", [5] = "Alloca",
  [6] = "IntegerDivideByZero", [7] = "PCValue", [8] = "Privileged",
  [9] = "LoadStoreAlignment", [12] = "InstrPDAddrError", [13] = "LoadStorePIFDataError",
  [14] = "InstrPIFAddrError", [15] = "LoadStorePIFAddrError", [16] = "InstTLBMiss",
  [17] = "InstTLBMultiHit", [18] = "InstFetchPrivilege", [20] = "InstrFetchProhibited",
  [24] = "LoadStoreTLBMiss", [25] = "LoadStoreTLBMultihit", [26] = "LoadStorePrivilege",
  [28] = "LoadProhibited", [29] = "StoreProhibited",
  [32] = "Cp0Dis", [33] = "Cp1Dis", [34] = "Cp2Dis", [35] = "Cp3Dis",
  [36] = "Cp4Dis", [37] = "Cp5Dis", [38] = "Cp6Dis", [39] = "Cp7Dis",
};

FsSimApp *
fs_sim_app_new (void)
{
  FsSimApp *app = g_new0 (FsSimApp, 1);

  app->lines = g_ptr_array_new_with_free_func (g_free);
  return app;
}

void
fs_sim_app_free (FsSimApp *app)
{
  if (app == NULL)
    return;
  g_ptr_array_unref (app->lines);
  g_free (app->repeat_line);
  g_free (app->no_program);
  g_free (app->exception);
  g_free (app);
}

/* Printable text: valid UTF-8, no control characters that would break
 * the line structure of the UART output; ESC stays, for colours */
static char *
fssim_text (const char *text,
            gsize       len)
{
  char *valid = g_utf8_make_valid (text, MIN (len, FSSIM_MAX_LINE_LEN));

  for (char *p = valid; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != 0x1B) || *p == 0x7F)
      *p = '?';
  return valid;
}

static void
add_line (FsSimApp   *app,
          const char *text)
{
  if (app->lines->len < FSSIM_MAX_LINES)
    g_ptr_array_add (app->lines, g_strdup (text));
}

static gboolean
parse_number (const char *text,
              gsize       len,
              guint64     min,
              guint64     max,
              guint64    *value)
{
  g_autofree char *copy = g_strndup (text, len);

  return g_ascii_string_to_unsigned (copy, 10, min, max, value, NULL);
}

static void
fssim_repeat (FsSimApp   *app,
              const char *spec,
              gsize       len)
{
  const char *colon = memchr (spec, ':', len);
  guint64 ms = 0;

  if (app->repeat_line != NULL || colon == NULL ||
      !parse_number (spec, colon - spec, 0, FSSIM_MAX_REPEAT_MS, &ms))
    return;
  app->repeat_ms = ms;
  app->repeat_line = fssim_text (colon + 1, len - (colon + 1 - spec));
}

static void
fssim_end (FsSimApp    *app,
           FsSimAppEnd  end,
           const char  *exception,
           gsize        len)
{
  if (app->end != FS_SIM_APP_RUNS)
    return;
  app->end = end;
  if (exception != NULL)
    app->exception = fssim_text (exception, len);
}

/* The text after @prefix when @text starts with it */
static gboolean
has_prefix (const char  *text,
            gsize        len,
            const char  *prefix,
            const char **rest,
            gsize       *rest_len)
{
  gsize prefix_len = strlen (prefix);

  if (len < prefix_len || memcmp (text, prefix, prefix_len) != 0)
    return FALSE;
  *rest = text + prefix_len;
  *rest_len = len - prefix_len;
  return TRUE;
}

static gboolean
is_word (const char *text,
         gsize       len,
         const char *word)
{
  return len == strlen (word) && memcmp (text, word, len) == 0;
}

static void
fssim_string (FsSimApp   *app,
              const char *text,
              gsize       len)
{
  const char *rest;
  gsize rest_len;
  guint64 baud;

  if (has_prefix (text, len, FSSIM_PRINT, &rest, &rest_len))
    {
      g_autofree char *line = fssim_text (rest, rest_len);
      add_line (app, line);
    }
  else if (has_prefix (text, len, FSSIM_REPEAT, &rest, &rest_len))
    fssim_repeat (app, rest, rest_len);
  else if (has_prefix (text, len, FSSIM_BAUD, &rest, &rest_len))
    {
      if (app->baud == 0 && parse_number (rest, rest_len, 300, FSSIM_MAX_BAUD, &baud))
        app->baud = baud;
    }
  else if (has_prefix (text, len, FSSIM_NOPROGRAM, &rest, &rest_len))
    {
      if (app->no_program == NULL)
        app->no_program = fssim_text (rest, rest_len);
    }
  else if (has_prefix (text, len, FSSIM_PANIC, &rest, &rest_len))
    {
      if (rest_len > 0)
        fssim_end (app, FS_SIM_APP_PANICS, rest, rest_len);
    }
  else if (is_word (text, len, FSSIM_ABORT))
    fssim_end (app, FS_SIM_APP_ABORTS, NULL, 0);
  else if (is_word (text, len, FSSIM_BROWNOUT))
    fssim_end (app, FS_SIM_APP_BROWNS_OUT, NULL, 0);
}

void
fs_sim_app_collect (FsSimApp     *app,
                    const guint8 *bytes,
                    gsize         len)
{
  const char *data = (const char *) bytes;
  gsize prefix_len = strlen (FSSIM_PREFIX);
  gsize pos = 0;

  g_return_if_fail (app != NULL);
  g_return_if_fail (bytes != NULL || len == 0);

  while (pos + prefix_len <= len)
    {
      const char *start = memchr (data + pos, FSSIM_PREFIX[0], len - pos - prefix_len + 1);
      const char *end;

      if (start == NULL)
        break;
      pos = start - data;
      if (memcmp (start, FSSIM_PREFIX, prefix_len) != 0)
        {
          pos++;
          continue;
        }
      end = memchr (start, '\0', len - pos);
      if (end == NULL)
        end = data + len;
      fssim_string (app, start, end - start);
      pos = end - data;
    }
}

gboolean
fs_sim_app_is_empty (const FsSimApp *app)
{
  g_return_val_if_fail (app != NULL, TRUE);

  return app->lines->len == 0 && app->repeat_line == NULL && app->baud == 0 &&
         app->no_program == NULL && app->end == FS_SIM_APP_RUNS;
}

void
fs_sim_app_add_program (FsSimApp       *app,
                        const FsSimApp *program)
{
  g_return_if_fail (app != NULL);
  g_return_if_fail (program != NULL);

  if (fs_sim_app_is_empty (program))
    {
      if (app->no_program != NULL)
        add_line (app, app->no_program);
      return;
    }
  for (guint i = 0; i < program->lines->len; i++)
    add_line (app, g_ptr_array_index (program->lines, i));
  if (program->repeat_line != NULL)
    {
      g_free (app->repeat_line);
      app->repeat_line = g_strdup (program->repeat_line);
      app->repeat_ms = program->repeat_ms;
    }
  if (program->baud != 0)
    app->baud = program->baud;
  if (program->end != FS_SIM_APP_RUNS)
    {
      app->end = program->end;
      g_free (app->exception);
      app->exception = g_strdup (program->exception);
    }
}

char *
fs_sim_app_format_line (const char *text,
                        guint64     log_ms)
{
  g_autoptr(GString) line = NULL;
  char number[24];

  g_return_val_if_fail (text != NULL, NULL);

  line = g_string_new (text);
  g_snprintf (number, sizeof number, "%" G_GUINT64_FORMAT, log_ms);
  g_string_replace (line, "%t", number, 0);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
fs_sim_app_format_repeat (const FsSimApp *app,
                          guint           counter,
                          guint64         log_ms)
{
  g_autoptr(GString) line = NULL;
  char number[24];

  g_return_val_if_fail (app != NULL && app->repeat_line != NULL, NULL);

  line = g_string_new (app->repeat_line);
  g_snprintf (number, sizeof number, "%u", counter);
  g_string_replace (line, "%u", number, 0);
  return fs_sim_app_format_line (line->str, log_ms);
}

static guint
exception_cause (const char *exception)
{
  for (guint i = 0; i < G_N_ELEMENTS (exception_names); i++)
    if (g_strcmp0 (exception_names[i], exception) == 0)
      return i;
  return XTENSA_EXCCAUSE_UNNAMED;
}

static void
append_registers (GString    *text,
                  const char *exception)
{
  g_string_append_printf (text, "Core %2d register dump:", PANIC_CORE);
  for (guint i = 0; i < G_N_ELEMENTS (register_names); i++)
    {
      guint32 value = i == EXCCAUSE_INDEX ? exception_cause (exception) : register_values[i];

      if (i % 4 == 0)
        g_string_append (text, "\r\n");
      g_string_append_printf (text, "%-8s: 0x%08x  ", register_names[i], value);
    }
  g_string_append (text, "\r\n");
}

static void
append_frames (GString     *text,
               const Frame *frames,
               guint        n_frames)
{
  for (guint i = 0; i < n_frames; i++)
    g_string_append_printf (text, " 0x%08x:0x%08x", frames[i].pc, frames[i].sp);
}

/* The backtrace, then the end of the panic handler's report */
static void
append_backtrace_and_reboot (GString    *text,
                             gboolean    aborted,
                             const char *elf_sha256)
{
  g_string_append (text, "\r\n\r\nBacktrace:");
  if (aborted)
    append_frames (text, abort_frames, G_N_ELEMENTS (abort_frames));
  append_frames (text, app_frames, G_N_ELEMENTS (app_frames));
  g_string_append (text, "\r\n\r\n\r\n\r\n");
  g_string_append_printf (text, "\r\nELF file SHA256: %s\r\n\r\n", elf_sha256);
  g_string_append (text, "Rebooting...\r\n");
}

char *
fs_sim_app_dup_end_text (const FsSimApp *app,
                         const char     *elf_sha256)
{
  GString *text;

  g_return_val_if_fail (app != NULL, NULL);
  g_return_val_if_fail (elf_sha256 != NULL, NULL);

  switch (app->end)
    {
    case FS_SIM_APP_RUNS:
      return NULL;
    case FS_SIM_APP_BROWNS_OUT:
      return g_strdup ("\r\nBrownout detector was triggered\r\n\r\n");
    case FS_SIM_APP_PANICS:
      text = g_string_new (NULL);
      g_string_append_printf (text, "Guru Meditation Error: Core %2d panic'ed (%s). Exception was unhandled.\r\n\r\n",
                              PANIC_CORE, app->exception);
      append_registers (text, app->exception);
      append_backtrace_and_reboot (text, FALSE, elf_sha256);
      return g_string_free (text, FALSE);
    case FS_SIM_APP_ABORTS:
      text = g_string_new (NULL);
      /* No reason and no description: only their line end */
      g_string_append_printf (text, "\r\nabort() was called at PC 0x%08x on core %d\r\n",
                              app_frames[0].pc, PANIC_CORE);
      append_backtrace_and_reboot (text, TRUE, elf_sha256);
      return g_string_free (text, FALSE);
    }
  g_return_val_if_reached (NULL);
}
