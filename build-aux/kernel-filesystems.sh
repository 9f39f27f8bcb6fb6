# Sourced by run-studio and run-tests. A bare chroot (a debootstrap folder,
# say) has no /proc, which the sanitizers read, and no /dev/pts, without
# which there is no pseudo-terminal for the virtual board. As root, mount
# them; otherwise the system already has them.
ensure_kernel_filesystems() {
  [ "$(id -u)" -eq 0 ] || return 0
  if [ ! -r /proc/self/maps ]; then
    mount -t proc proc /proc
  fi
  if [ ! -e /dev/pts/ptmx ]; then
    mkdir -p /dev/pts
    mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
  fi
}
