/* fs-job-private.h: what fs-job.c (the object, connecting),
 * fs-job-flash.c (the work on the flash) and fs-job-boot.c (the boot
 * chain check) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-job.h"
#include "fs-partition-table.h"

G_BEGIN_DECLS

struct _FsJob
{
  GObject          parent_instance;

  /* Set up in the main thread before the job runs */
  FsJobKind        kind;
  FsTransport     *transport;
  FsBoardProfile  *profile;
  FsBefore         before;
  gboolean         before_set;
  FsAfter          after;
  gboolean         after_set;
  char            *after_step;
  guint            baud;
  guint            baud_after;     /* the port's baud before the reset after; 0: as it is */
  gboolean         use_stub;
  char            *stub_path;
  GPtrArray       *region_data;    /* of GBytes, one per region */
  guint32          range_offset;
  guint32          range_size;     /* 0: the whole flash */
  gint             slot;
  FsFlashSizeMode  flash_size_mode;
  guint64          flash_size;
  gboolean         force;
  GMainContext    *context;        /* where signals are emitted */
  gboolean         running;

  /* Written by the worker, read after the job */
  FsProgress      *progress;
  GArray          *regions;        /* of FsJobRegion */
  FsChipFacts      facts;
  gboolean         have_facts;
  GBytes          *data;
  char            *md5;
  FsSlotState      slot_state;
  GObject         *table;          /* FsPartitionTable read from the board */
  GPtrArray       *slot_titles;    /* of char*, one per OTA app slot, NULL when empty */
  gboolean         have_slots;
  gboolean         touches_boot;   /* the write changes the bootloader, the table, otadata or an app */
  gboolean         used_stub;
  char            *used_stub_path;   /* where the stub that ran came from */
};

/* The regions the job writes, and the bytes of each */
static inline FsJobRegion *
fs_job_region (FsJob *self,
               guint  index)
{
  return &g_array_index (self->regions, FsJobRegion, index);
}

static inline GBytes *
fs_job_region_data (FsJob *self,
                    guint  index)
{
  return g_ptr_array_index (self->region_data, index);
}

/* Signals, from the worker to the job's main context */
void     fs_job_emit_note       (FsJob         *self,
                                 const char    *format,
                                 ...) G_GNUC_PRINTF (2, 3);
void     fs_job_emit_sectors    (FsJob         *self,
                                 guint32        offset,
                                 guint32        size,
                                 FsRegionState  state);

/* fs_job_add_region() from the worker: a region the checks added */
void     fs_job_append_region   (FsJob         *self,
                                 const char    *name,
                                 guint32        offset,
                                 GBytes        *data);

/* The flash size the job works with: the chip's, else the profile's */
guint64  fs_job_flash_size      (FsJob         *self);

/* The work of each kind, on a board that is connected and identified.
 * Each adds its steps to @progress. */
gboolean fs_job_do_write        (FsJob         *self,
                                 FsLoader      *loader,
                                 FsProgress    *progress,
                                 GCancellable  *cancellable,
                                 GError       **error);
gboolean fs_job_do_verify       (FsJob         *self,
                                 FsLoader      *loader,
                                 FsProgress    *progress,
                                 GCancellable  *cancellable,
                                 GError       **error);
gboolean fs_job_do_read         (FsJob         *self,
                                 FsLoader      *loader,
                                 FsProgress    *progress,
                                 GCancellable  *cancellable,
                                 GError       **error);
gboolean fs_job_do_erase        (FsJob         *self,
                                 FsLoader      *loader,
                                 FsProgress    *progress,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* fs-job-boot.c: what the board boots after the write, checked against
 * @table, the partition table it will hold (NULL: none valid); sets
 * touches_boot. May add a region (the board's bootloader, its flash
 * size changed) and change the data of the one that holds it. */
gboolean fs_job_check_boot_chain (FsJob            *self,
                                  FsLoader         *loader,
                                  FsPartitionTable *table,
                                  GCancellable     *cancellable,
                                  GError          **error);
gboolean fs_job_do_slots        (FsJob         *self,
                                 FsLoader      *loader,
                                 FsProgress    *progress,
                                 GCancellable  *cancellable,
                                 GError       **error);

G_END_DECLS
