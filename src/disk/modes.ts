/** Directories of the cache are 0700 and its files 0600, whatever the umask: only their owner may read a bundle. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
