/**
 * Work launched inside `dispatchNow` is sent to asynchronous devices at once instead of in the
 * next batch (worker devices batch commands until the calling thread yields). pmap launches its
 * worker shards this way so they run while the calling thread computes its own shard.
 */
let depth = 0

/** Run `body`; asynchronous devices send what it launches immediately. */
export const dispatchNow = <A>(body: () => A): A => {
  depth++
  try {
    return body()
  } finally {
    depth--
  }
}

/** Whether work launched now should be sent immediately. */
export const dispatchingNow = (): boolean => depth > 0
