/* fs-flash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-flash.h"

static guint64
size_suffix_multiplier (const char *suffix)
{
  static const struct { const char *text; guint64 multiplier; } suffixes[] = {
    { "", 1 },
    { "b", 1 }, { "bytes", 1 },
    { "k", 1024 }, { "kb", 1024 }, { "kib", 1024 },
    { "m", 1024 * 1024 }, { "mb", 1024 * 1024 }, { "mib", 1024 * 1024 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_ascii_strcasecmp (suffix, suffixes[i].text) == 0)
      return suffixes[i].multiplier;
  return 0;
}

gboolean
fs_parse_size (const char  *text,
               guint64     *out,
               GError     **error)
{
  g_autofree char *stripped = NULL;
  const char *digits;
  char *end = NULL;
  guint64 value, multiplier;
  guint base = 10;

  g_return_val_if_fail (text != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  digits = stripped;
  if (g_ascii_strncasecmp (digits, "0x", 2) == 0)
    {
      base = 16;
      digits += 2;
    }

  /* g_ascii_strtoull accepts a sign and leading blanks; a size must not */
  if (!g_ascii_isxdigit (digits[0]) || (base == 10 && !g_ascii_isdigit (digits[0])))
    goto invalid;

  errno = 0;
  value = g_ascii_strtoull (digits, &end, base);
  if (errno != 0)
    goto invalid;
  while (*end == ' ')
    end++;
  multiplier = size_suffix_multiplier (end);
  if (multiplier == 0 || value > G_MAXUINT64 / multiplier)
    goto invalid;

  *out = value * multiplier;
  return TRUE;

invalid:
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
               _("“%s” is not a size (examples: 4096, 0x1000, 16K, 1M)"), stripped);
  return FALSE;
}

char *
fs_format_size (guint64 size)
{
  const guint64 mib = 1024 * 1024;

  if (size != 0 && size % mib == 0)
    return g_strdup_printf (_("%" PRIu64 " MiB"), size / mib);
  if (size != 0 && size % 1024 == 0)
    return g_strdup_printf (_("%" PRIu64 " KiB"), size / 1024);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " byte",
                                       "%" PRIu64 " bytes", size), size);
}

char *
fs_format_size_approx (guint64 size)
{
  const guint64 mib = 1024 * 1024;

  if (size < 1024 || size % mib == 0 || (size < mib && size % 1024 == 0))
    return fs_format_size (size);
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

char *
fs_format_rate (double bytes_per_second)
{
  g_autofree char *size = g_format_size_full ((guint64) MAX (bytes_per_second, 0), G_FORMAT_SIZE_IEC_UNITS);

  /* TRANSLATORS: a transfer rate, "86.3 KiB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

G_DEFINE_BOXED_TYPE (FsProblem, fs_problem, fs_problem_copy, fs_problem_free)

FsProblem *
fs_problem_new (const char *subject,
                const char *format,
                ...)
{
  FsProblem *problem = g_new0 (FsProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->subject = g_strdup (subject);
  return problem;
}

FsProblem *
fs_problem_copy (const FsProblem *problem)
{
  FsProblem *copy = g_new0 (FsProblem, 1);

  copy->subject = g_strdup (problem->subject);
  copy->message = g_strdup (problem->message);
  return copy;
}

void
fs_problem_free (FsProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->subject);
  g_free (problem->message);
  g_free (problem);
}

GPtrArray *
fs_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) fs_problem_free);
}

static gint
compare_region_refs_by_offset (gconstpointer a,
                               gconstpointer b)
{
  const FsRegionRef *ra = *(const FsRegionRef **) a;
  const FsRegionRef *rb = *(const FsRegionRef **) b;

  if (ra->offset != rb->offset)
    return ra->offset < rb->offset ? -1 : 1;
  return 0;
}

static void
check_one_region (const FsRegionRef *region,
                  guint64            flash_size,
                  GPtrArray         *problems)
{
  if (region->size == 0)
    g_ptr_array_add (problems, fs_problem_new (region->label,
                     _("“%s” has a size of zero"), region->label));
  if (region->offset_align != 0 && region->offset % region->offset_align != 0)
    g_ptr_array_add (problems, fs_problem_new (region->label,
                     _("“%s” starts at 0x%06" PRIx64 ", which is not a multiple of 0x%" PRIx64),
                     region->label, region->offset, region->offset_align));
  if (region->size_align != 0 && region->size % region->size_align != 0)
    g_ptr_array_add (problems, fs_problem_new (region->label,
                     _("“%s” has a size of 0x%" PRIx64 ", which is not a multiple of 0x%" PRIx64),
                     region->label, region->size, region->size_align));
  if (flash_size != 0 && (region->offset >= flash_size || region->size > flash_size - region->offset))
    {
      g_autofree char *flash = fs_format_size (flash_size);
      g_ptr_array_add (problems, fs_problem_new (region->label,
                       _("“%s” ends at 0x%06" PRIx64 ", beyond the end of the %s flash"),
                       region->label, region->offset + region->size, flash));
    }
}

void
fs_regions_check (const FsRegionRef *regions,
                  guint              n_regions,
                  guint64            flash_size,
                  GPtrArray         *problems)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (n_regions);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_regions; i++)
    {
      const FsRegionRef *region = &regions[i];

      check_one_region (region, flash_size, problems);
      if (g_hash_table_contains (labels, region->label))
        g_ptr_array_add (problems, fs_problem_new (region->label,
                         _("“%s” is used as a name twice"), region->label));
      else
        g_hash_table_add (labels, (gpointer) region->label);
      g_ptr_array_add (sorted, (gpointer) region);
    }

  /* Sorted by start, a region can only overlap those after it that start
   * before it ends: each overlapping pair is reported once. */
  g_ptr_array_sort (sorted, compare_region_refs_by_offset);
  for (guint i = 0; i < sorted->len; i++)
    {
      const FsRegionRef *a = g_ptr_array_index (sorted, i);
      guint64 a_end = a->offset + a->size;

      for (guint j = i + 1; j < sorted->len; j++)
        {
          const FsRegionRef *b = g_ptr_array_index (sorted, j);

          if (b->offset >= a_end)
            break;
          if (b->size == 0)
            continue;
          g_ptr_array_add (problems, fs_problem_new (b->label,
                           _("“%s” (0x%06" PRIx64 "–0x%06" PRIx64 ") overlaps “%s” (0x%06" PRIx64 "–0x%06" PRIx64 ")"),
                           b->label, b->offset, b->offset + b->size,
                           a->label, a->offset, a_end));
        }
    }
}

G_DEFINE_BOXED_TYPE (FsFlashPart, fs_flash_part, fs_flash_part_copy, fs_flash_part_free)

FsFlashPart *
fs_flash_part_new (guint32     offset,
                   GBytes     *data,
                   const char *name)
{
  FsFlashPart *part = g_new0 (FsFlashPart, 1);

  part->offset = offset;
  part->data = g_bytes_ref (data);
  part->name = g_strdup (name);
  return part;
}

FsFlashPart *
fs_flash_part_copy (const FsFlashPart *part)
{
  return fs_flash_part_new (part->offset, part->data, part->name);
}

void
fs_flash_part_free (FsFlashPart *part)
{
  if (part == NULL)
    return;
  g_bytes_unref (part->data);
  g_free (part->name);
  g_free (part);
}
