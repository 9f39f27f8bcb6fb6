/* fs-job.h: one thing done to a board, from connecting to the reset after
 *
 * A job is set up in the main thread (what to do, how to connect), run
 * with fs_job_run_async() in a worker thread, and read back when it ends.
 * Its signals are emitted in the main context the job was started from,
 * so a window or the command line can answer them directly.
 *
 * Every job connects as the board needs (fs_job_set_before(), or the
 * profile's reset method), identifies the chip, loads the user's stub
 * when one is installed (or carries on with the ROM loader and says so),
 * raises the baud, does its work, and resets the board as asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-board-profile.h"
#include "fs-loader.h"
#include "fs-progress.h"
#include "fs-transport.h"

G_BEGIN_DECLS

typedef enum {
  FS_JOB_IDENTIFY,      /* the chip's facts, nothing else */
  FS_JOB_WRITE,         /* the regions, skipping sectors that hold their data already */
  FS_JOB_VERIFY,        /* compare the regions with the flash */
  FS_JOB_READ,          /* the range, into fs_job_get_data() */
  FS_JOB_BACKUP,        /* the whole flash, into fs_job_get_data(), with its MD5 */
  FS_JOB_RESTORE,       /* one region at 0, the size of the flash; verified */
  FS_JOB_ERASE,         /* the range, or the whole flash when none is set */
  FS_JOB_SLOT_SHOW,     /* the partition table and otadata */
  FS_JOB_SLOT_SWITCH,   /* boot the other OTA app slot, or the one set */
} FsJobKind;

/* What became of a region, or of a range of sectors (the "sectors"
 * signal): the flash map's live overlay uses the same states */
typedef enum {
  FS_REGION_PENDING,
  FS_REGION_SKIPPED,      /* the board held the data already */
  FS_REGION_ERASED,
  FS_REGION_WRITTEN,      /* written, and its MD5 on the board checked */
  FS_REGION_VERIFIED,     /* a verify found the data on the board */
  FS_REGION_DIFFERS,      /* a verify found other data on the board */
  FS_REGION_INTERRUPTED,  /* a write stopped part way: see bytes_written */
} FsRegionState;

const char *fs_region_state_to_string (FsRegionState state);

typedef struct {
  char          *name;           /* a file name or a partition label */
  guint32        offset;
  guint32        size;
  FsRegionState  state;
  guint32        bytes_written;  /* written and checked, from @offset on */
  guint32        bytes_skipped;  /* found on the board already */
  guint32        stopped_at;     /* FS_REGION_INTERRUPTED: the first address not known written */
} FsJobRegion;

/* Why the job asks the user for something */
typedef enum {
  FS_JOB_PROMPT_DOWNLOAD_MODE,   /* put the board in download mode: the job keeps trying until it answers */
  FS_JOB_PROMPT_RESET,           /* reset the board by hand to run its new firmware */
} FsJobPromptKind;

typedef struct {
  gint     boot_slot;       /* the OTA slot the bootloader boots (0 = ota_0), or -1: factory / ota_0 */
  guint    n_slots;         /* OTA app partitions in the board's table */
  gboolean has_otadata;
  guint32  sequence;        /* the active otadata entry's, 0 when none */
  gint     switched_from;   /* SLOT_SWITCH: the slot that booted before, -1 when unchanged */
} FsSlotState;

/* What a write does with the flash size a bootloader's header names:
 * the bootloader refuses a partition table that goes past it */
typedef enum {
  FS_FLASH_SIZE_KEEP,     /* as it is; a header too small for the table is said in a note */
  FS_FLASH_SIZE_ASK,      /* as it is; a header too small fails with FS_ERROR_FLASH_SIZE, nothing written */
  FS_FLASH_SIZE_DETECT,   /* set to the board's flash size, from its JEDEC id */
  FS_FLASH_SIZE_SET,      /* set to the size given */
} FsFlashSizeMode;

#define FS_TYPE_JOB (fs_job_get_type ())
G_DECLARE_FINAL_TYPE (FsJob, fs_job, FS, JOB, GObject)

/* The job takes a reference on @transport and opens it when it runs;
 * it closes it at the end only if it opened it. */
FsJob              *fs_job_new               (FsJobKind        kind,
                                              FsTransport     *transport);
FsJobKind           fs_job_get_kind          (FsJob           *self);
FsTransport        *fs_job_get_transport     (FsJob           *self);
/* The board: its reset method, steps, maximum baud and flash size */
void                fs_job_set_profile       (FsJob           *self,
                                              FsBoardProfile  *profile);
FsBoardProfile     *fs_job_get_profile       (FsJob           *self);
/* Default: manual for a profile whose reset is manual, else default-reset */
void                fs_job_set_before        (FsJob           *self,
                                              FsBefore         before);
/* Default: hard reset (or a FS_JOB_PROMPT_RESET when the board has no reset lines) */
void                fs_job_set_after         (FsJob           *self,
                                              FsAfter          after);
/* A last step of the job's progress, after the reset, that the job's
 * caller carries out and completes (with fs_progress_step_done() on the
 * job's progress): checking that the board starts, say */
void                fs_job_set_after_step    (FsJob           *self,
                                              const char      *name);
/* The baud after connecting (capped at the profile's maximum); 0: stay at 115200 */
void                fs_job_set_baud          (FsJob           *self,
                                              guint            baud);
/* The baud the port is set to right after the hard reset that ends the
 * job, so that what the firmware prints first is read at the monitor's
 * baud (0, the default: the ROM's 115200, as the reset leaves it) */
void                fs_job_set_baud_after    (FsJob           *self,
                                              guint            baud);
/* @use_stub FALSE: the ROM loader only. @stub_path: the stub JSON to use
 * instead of looking for an installed one. */
void                fs_job_set_stub          (FsJob           *self,
                                              gboolean         use_stub,
                                              const char      *stub_path);

/* FS_JOB_WRITE, FS_JOB_VERIFY, FS_JOB_RESTORE: @data goes at @offset. A
 * region's room (what it may fill) is up to the next partition of the
 * table being written, or else of the board's table, or else the end of
 * the flash. */
void                fs_job_add_region        (FsJob           *self,
                                              const char      *name,
                                              guint32          offset,
                                              GBytes          *data);
/* FS_JOB_WRITE: the bootloader's header, as esptool's --flash-size
 * (@size for FS_FLASH_SIZE_SET). It applies to the bootloader the board
 * will hold after the write: the one written (alone or in a merged
 * image), else the board's own, then written back changed. */
void                fs_job_set_flash_size    (FsJob           *self,
                                              FsFlashSizeMode  mode,
                                              guint64          size);
/* FS_JOB_WRITE: what the board will boot after the write is checked
 * before anything is written (the bootloader at the chip's offset, the
 * partition table, the flash size in the bootloader's header, the apps'
 * flash size, the slot otadata selects). A write of an app that would
 * leave the board unable to start fails with FS_ERROR_WOULD_NOT_BOOT,
 * saying why and what to bring. @force: written all the same, and said
 * in a note. */
void                fs_job_set_force         (FsJob           *self,
                                              gboolean         force);
/* FS_JOB_READ, FS_JOB_ERASE */
void                fs_job_set_range         (FsJob           *self,
                                              guint32          offset,
                                              guint32          size);
/* FS_JOB_SLOT_SWITCH: the slot to boot; -1 (the default): the other one */
void                fs_job_set_slot          (FsJob           *self,
                                              gint             slot);

/* What can be checked without the board: regions sector-aligned, not
 * empty, not overlapping, within 4 GiB. FS_ERROR_INVALID_ARGUMENT with
 * a message naming the region. fs_job_run_async() checks again, and
 * after identifying the board also the flash size, the rooms and the
 * images' chip, all before anything is written. */
gboolean            fs_job_check             (FsJob           *self,
                                              GError         **error);

void                fs_job_run_async         (FsJob           *self,
                                              GCancellable    *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer         user_data);
gboolean            fs_job_run_finish        (FsJob           *self,
                                              GAsyncResult    *result,
                                              GError         **error);

/* Readable from any thread while the job runs */
FsProgress         *fs_job_get_progress      (FsJob           *self);

/* After the job (also after a failure, for what was found until then) */
const FsChipFacts  *fs_job_get_facts         (FsJob           *self);   /* NULL before identifying */
guint               fs_job_get_n_regions     (FsJob           *self);
const FsJobRegion  *fs_job_get_region        (FsJob           *self,
                                              guint            index);
GBytes             *fs_job_get_data          (FsJob           *self);   /* READ, BACKUP */
/* BACKUP: the MD5 of the data as hex, checked against the board's */
const char         *fs_job_get_md5           (FsJob           *self);
/* SLOT_SHOW, SLOT_SWITCH (the state after the switch) */
const FsSlotState  *fs_job_get_slot_state    (FsJob           *self);
/* SLOT_SHOW, SLOT_SWITCH: the partition table read from the board
 * (an FsPartitionTable), or NULL */
GObject            *fs_job_get_partition_table (FsJob         *self);
/* SLOT_SHOW, SLOT_SWITCH: what OTA app slot @slot holds, from its image's
 * description ("blink 1.2.3", or "an app image" without one), or NULL
 * when it holds no image */
const char         *fs_job_get_slot_title    (FsJob           *self,
                                              guint            slot);
/* Whether fs_job_get_slot_state(), fs_job_get_partition_table() and
 * fs_job_get_slot_title() say what the board holds as the job left it:
 * after SLOT_SHOW and SLOT_SWITCH, and after a write, restore or erase
 * that changed the bootloader, the table, otadata or an app */
gboolean            fs_job_get_has_slots     (FsJob           *self);
/* Whether the stub ran, or the ROM loader did everything */
gboolean            fs_job_get_used_stub     (FsJob           *self);
/* The file the stub that ran came from, or NULL */
const char         *fs_job_get_stub_file     (FsJob           *self);

/* Signals (in the main context of fs_job_run_async()'s caller):
 *
 *   "prompt" (FsJobPromptKind kind, const char *title, GStrv steps):
 *     the user must act. For FS_JOB_PROMPT_DOWNLOAD_MODE the job keeps
 *     trying to sync until the board answers ("prompt-done") or the job
 *     is cancelled; the UI shows the steps and offers Cancel.
 *   "prompt-done" (FsJobPromptKind kind): the board answered.
 *   "note" (const char *message): something the user should know that
 *     is not a failure ("The stub loader did not answer; carrying on with
 *     the ROM loader").
 *   "sectors" (guint offset, guint size, FsRegionState state): a range
 *     of flash changed state, for a live map.
 */

G_END_DECLS
