# bash completion for annals: commands, options, --format values, and ids
# from the database (--db FILE, default annals.db) for show, --actor, --region.
_annals()
{
    local cur prev words cword
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local annals=${COMP_WORDS[0]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$("$annals" complete commands 2>/dev/null) help" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]} db=annals.db i
    for ((i = 2; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --db|-d) db=${COMP_WORDS[i+1]} ;;
            --db=*) db=${COMP_WORDS[i]#--db=} ;;
        esac
    done
    case $prev in
        --format|-f)
            COMPREPLY=($(compgen -W "$("$annals" complete formats "$cmd" 2>/dev/null)" -- "$cur"))
            return ;;
        --actor|-a)
            COMPREPLY=($(compgen -W "$("$annals" complete actors --db "$db" 2>/dev/null)" -- "$cur"))
            return ;;
        --region|-r)
            COMPREPLY=($(compgen -W "$("$annals" complete places --db "$db" 2>/dev/null)" -- "$cur"))
            return ;;
        --source)
            COMPREPLY=($(compgen -W "$("$annals" complete sources --db "$db" 2>/dev/null)" -- "$cur"))
            return ;;
        --lanes)
            COMPREPLY=($(compgen -W "actor region" -- "$cur"))
            return ;;
        --db|-d|--output|-o)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --from|--to|--type|--tag|--text|--role|--limit|--title|-n|-t|-s)
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$annals" complete options "$cmd" 2>/dev/null)" -- "$cur"))
        return
    fi
    case $cmd in
        show)
            COMPREPLY=($(compgen -W "$("$annals" complete ids --db "$db" 2>/dev/null)" -- "$cur")) ;;
        new)
            COMPREPLY=($(compgen -W "event actor place source" -- "$cur")) ;;
        help)
            COMPREPLY=($(compgen -W "$("$annals" complete commands 2>/dev/null)" -- "$cur")) ;;
        *)
            COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o filenames -F _annals annals
