/* fs-flash.h: sizes, regions and problems shared by every flash format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FS_FLASH_SECTOR_SIZE 0x1000u
#define FS_FLASH_BLOCK_SIZE  0x10000u

/* Sizes as people write them: "4096", "0x1000", "16K", "16Kb", "1M",
 * "4Mb", "1216KB". K and M are binary (KiB, MiB), as in ESP-IDF's CSV
 * files and in the seeds' tables. */
gboolean  fs_parse_size        (const char  *text,
                                guint64     *out,
                                GError     **error);
/* "16 KiB", "1 MiB", "1216 KiB", "4 MiB", "100 bytes": exact, never rounded */
char     *fs_format_size       (guint64      size);
/* For sizes read rather than computed with: exact where that is short
 * ("4 KiB", "8 MiB", "368 bytes"), else IEC with one decimal ("1.2 MiB") */
char     *fs_format_size_approx (guint64     size);
/* "86.3 KiB/s" */
char     *fs_format_rate       (double       bytes_per_second);

/* One problem found by a validator, said in one sentence. @subject is the
 * label of the entry or region it concerns (or NULL), so a view can mark it. */
typedef struct {
  char    *subject;
  char    *message;
} FsProblem;

#define FS_TYPE_PROBLEM (fs_problem_get_type ())
GType      fs_problem_get_type (void) G_GNUC_CONST;
FsProblem *fs_problem_new      (const char      *subject,
                                const char      *format,
                                ...) G_GNUC_PRINTF (2, 3);
FsProblem *fs_problem_copy     (const FsProblem *problem);
void       fs_problem_free     (FsProblem       *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsProblem, fs_problem_free)

/* A new GPtrArray that frees its FsProblem elements. */
GPtrArray *fs_problems_new     (void);

/* A span of flash to check: what partition tables and layouts have in common. */
typedef struct {
  const char *label;
  guint64     offset;
  guint64     size;
  guint64     offset_align;   /* 0: any */
  guint64     size_align;     /* 0: any */
} FsRegionRef;

/* Appends to @problems one FsProblem per problem: zero size, misaligned
 * offset or size, overlap with another region, end beyond @flash_size
 * (0: unknown), a label used twice. @regions need not be sorted. */
void       fs_regions_check    (const FsRegionRef *regions,
                                guint              n_regions,
                                guint64            flash_size,
                                GPtrArray         *problems);

/* Data to put at an offset of the flash: a part of a manifest, a merged
 * image, or a region a job writes. */
typedef struct {
  guint32  offset;
  GBytes  *data;
  char    *name;              /* for messages: a file name or a region label */
} FsFlashPart;

#define FS_TYPE_FLASH_PART (fs_flash_part_get_type ())
GType        fs_flash_part_get_type (void) G_GNUC_CONST;
FsFlashPart *fs_flash_part_new      (guint32            offset,
                                     GBytes            *data,
                                     const char        *name);
FsFlashPart *fs_flash_part_copy     (const FsFlashPart *part);
void         fs_flash_part_free     (FsFlashPart       *part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsFlashPart, fs_flash_part_free)

G_END_DECLS
