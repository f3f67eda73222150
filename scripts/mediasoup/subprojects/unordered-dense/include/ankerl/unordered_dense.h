// Stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense),
// which mediasoup >= 3.21 uses and Debian 12 does not package.
//
// It maps the part of the API that mediasoup uses (map, set, hash) onto the
// standard containers. Behaviour is the same for mediasoup's purposes: the
// standard containers give stronger guarantees (references and iterators stay
// valid across inserts, erase(it) returns the next element), only lookups are a
// little slower. mediasoup does not rely on the iteration order of these
// containers nor on heterogeneous (is_transparent) lookup.
#ifndef HAWKER_ANKERL_UNORDERED_DENSE_SHIM_H
#define HAWKER_ANKERL_UNORDERED_DENSE_SHIM_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	// ankerl's hash is "avalanching" (every input bit affects every output bit),
	// and mediasoup combines several of them with a boost-style hash_combine.
	// libstdc++'s std::hash for integers and pointers is the identity, so the
	// result of std::hash is passed through the 64-bit finalizer of MurmurHash3
	// to keep the same quality of distribution.
	template<typename T, typename Enable = void>
	struct hash
	{
		using is_avalanching = void;

		uint64_t operator()(const T& value) const
		  noexcept(noexcept(std::hash<T>{}(std::declval<const T&>())))
		{
			auto h = static_cast<uint64_t>(std::hash<T>{}(value));

			h ^= h >> 33U;
			h *= UINT64_C(0xff51afd7ed558ccd);
			h ^= h >> 33U;
			h *= UINT64_C(0xc4ceb9fe1a85ec53);
			h ^= h >> 33U;

			return h;
		}
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
