# SPDX-License-Identifier: GPL-2.0
# bash completion for vwctl(8)
# COMPREPLY=($(compgen ...)) is the completion idiom: the words never
# hold blanks, so splitting them is what is wanted.
# shellcheck disable=SC2207

# IDs and device names of the existing endpoints, from show --json.
_vwctl_show_field()
{
	vwctl show --json 2>/dev/null |
		grep -o "\"$1\":\"\{0,1\}[^\",}]*" | sed "s/^\"$1\":\"\{0,1\}//" |
		grep -v '^null$'
}

_vwctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		# Without the bash-completion package: plain words will do.
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi

	local commands="add replace set del flush show stats monitor help"
	local gopts="-j --json -b -batch --batch -force -n --netns -V --version -h --help"
	local i cmd='' cmdi=0 batch=0

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-b|-batch|--batch) batch=1; ((i++)) ;;
		-n|-netns|--netns) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; cmdi=$i; break ;;
		esac
	done

	case $prev in
	-b|-batch|--batch)
		# A file, or - for standard input.
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
		return ;;
	-n|-netns|--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		return ;;
	esac
	# With a batch the commands come from the file: options only.
	if ((batch)); then
		COMPREPLY=($(compgen -W "-j --json -force" -- "$cur"))
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $gopts" -- "$cur"))
		return
	fi

	case $cmd in
	add|replace|set)
		# The second value of srcport MIN MAX: a number.
		((cword >= 2)) && [[ ${words[cword - 2]} == srcport ]] && return
		case $prev in
		dev)
			if [[ $cmd != set ]]; then
				COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			fi
			return ;;
		peer)
			COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			return ;;
		format)
			COMPREPLY=($(compgen -W "vxlan vw" -- "$cur"))
			return ;;
		local)
			COMPREPLY=($(compgen -W "any" -- "$cur"))
			return ;;
		ttl)
			COMPREPLY=($(compgen -W "auto inherit" -- "$cur"))
			return ;;
		tos)
			COMPREPLY=($(compgen -W "inherit" -- "$cur"))
			return ;;
		df)
			COMPREPLY=($(compgen -W "set unset inherit" -- "$cur"))
			return ;;
		csum|udp6zerocsumtx|udp6zerocsumrx|roam)
			COMPREPLY=($(compgen -W "on off" -- "$cur"))
			return ;;
		relay)
			COMPREPLY=($(compgen -W "off" -- "$cur"))
			return ;;
		accept|vm-mac)
			COMPREPLY=($(compgen -W "none" -- "$cur"))
			return ;;
		remote|port|srcport|hold|hold-time|roam-holddown)
			return ;;
		esac
		# First the endpoint: add takes a new ID, which cannot be
		# guessed; set takes an existing ID or dev NAME.
		local first=$((cmdi + 2))
		if ((cword == cmdi + 1)); then
			[[ $cmd == set ]] &&
				COMPREPLY=($(compgen -W "dev $(_vwctl_show_field id)" -- "$cur"))
			return
		fi
		[[ $cmd == set && ${words[cmdi + 1]} == dev ]] && first=$((cmdi + 3))
		((cword < first)) && return
		local kw used=" ${words[*]:first:cword-first} " left=''
		local kws="remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx"
		kws+=" accept roam roam-holddown relay hold hold-time vm-mac standby"
		[[ $cmd != set ]] && kws="dev $kws"
		[[ $cmd == add ]] && kws+=" --may-exist"
		[[ $cmd == set ]] && kws+=" active"
		for kw in $kws; do
			[[ $used == *" $kw "* ]] && continue
			# A wire goes to a remote or to a peer, not both.
			[[ $kw == peer && $used == *" remote "* ]] && continue
			[[ $kw == remote && $used == *" peer "* ]] && continue
			[[ $kw == active && $used == *" standby "* ]] && continue
			[[ $kw == standby && $used == *" active "* ]] && continue
			left+=" $kw"
		done
		COMPREPLY=($(compgen -W "$left" -- "$cur"))
		;;
	del|show|stats)
		if [[ $prev == dev ]]; then
			COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			return
		fi
		local named=0 w
		for w in "${words[@]:cmdi+1:cword-cmdi-1}"; do
			[[ $w == -* ]] || named=1
		done
		local extra='--if-exists'
		[[ $cmd != del ]] && extra="--json"
		if ((named)); then
			COMPREPLY=($(compgen -W "$extra" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "dev $(_vwctl_show_field id) $extra" -- "$cur"))
		fi
		;;
	flush)
		# flush [id MIN[-MAX]]: the ID range is typed, not guessed.
		[[ $prev == id ]] && return
		[[ " ${words[*]:cmdi+1:cword-cmdi-1} " == *" id "* ]] ||
			COMPREPLY=($(compgen -W "id" -- "$cur"))
		;;
	monitor)
		[[ " ${words[*]:cmdi+1:cword-cmdi-1} " == *" --json "* ]] ||
			COMPREPLY=($(compgen -W "--json" -- "$cur"))
		;;
	help)
		((cword == cmdi + 1)) &&
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	esac
} &&
	complete -F _vwctl vwctl
